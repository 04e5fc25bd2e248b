// The traffic panel's page, for both of its hosts: a VS Code webview (resources through
// `asWebviewUri`, the webview's CSP source) and the admin endpoint (its own paths).

export interface PageResources {
  script: string;
  style: string;
  /** Allowed origins for styles (the webview's `cspSource`, or `'self'`). */
  cspSource: string;
  /** Sources the page may fetch (the admin page polls its endpoint); none in a webview. */
  connectSource?: string;
  /** A fresh random value for each page: only the script carrying it runs. */
  nonce: string;
}

export function trafficPage({ script, style, cspSource, connectSource, nonce }: PageResources): string {
  const csp = [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    ...(connectSource ? [`connect-src ${connectSource}`] : []),
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<link rel="icon" href="data:,">
<title>Local LB: Traffic</title>
</head>
<body>
<header>
<h1>Traffic</h1>
<label id="pool-choice" hidden>Pool <select id="pool"></select></label>
<p id="summary">Waiting for the balancer…</p>
</header>
<main>
<section aria-labelledby="rate-title">
<h2 id="rate-title">Requests per second</h2>
<div id="rate" class="chart"></div>
<p id="rate-text" class="visually-hidden"></p>
</section>
<section aria-labelledby="latency-title">
<h2 id="latency-title">Time to the answer, p50 and p99</h2>
<div id="latency" class="chart"></div>
<p id="latency-text" class="visually-hidden"></p>
</section>
<section id="connect-section" aria-labelledby="connect-title" hidden>
<h2 id="connect-title">Time to connect, p50 and p99 (dashed)</h2>
<div id="connect" class="chart"></div>
<p id="connect-text" class="visually-hidden"></p>
</section>
<section aria-labelledby="health-title">
<h2 id="health-title">Health</h2>
<ul class="band-legend" aria-hidden="true">
<li><span class="swatch up"></span>up</li>
<li><span class="swatch faulty"></span>faulty</li>
<li><span class="swatch draining"></span>draining</li>
<li><span class="swatch down"></span>down</li>
<li><span class="swatch disabled"></span>disabled, or not checked yet</li>
</ul>
<canvas id="band" aria-hidden="true"></canvas>
<ul id="band-text" class="visually-hidden" aria-label="Backend state changes"></ul>
</section>
<section aria-labelledby="recent-title">
<h2 id="recent-title">Recent traffic</h2>
<div class="toolbar">
<label class="pools-only" hidden>Pool <select id="filter-pool"></select></label>
<label>Backend <select id="filter-backend"></select></label>
<label>Outcome <select id="filter-outcome"></select></label>
<button id="pause" type="button" aria-pressed="false">Pause</button>
<button id="clear" type="button">Clear</button>
<p id="recent-count"></p>
</div>
<div class="table-scroll" tabindex="0" role="region" aria-labelledby="recent-title">
<table id="recent">
<caption class="visually-hidden">The last 500 connections or requests that ended, newest first; Enter on a request shows its details</caption>
<thead><tr><th scope="col">Time</th><th scope="col" class="pools-only" hidden>Pool</th><th scope="col">Client</th><th scope="col">Backend</th><th scope="col" class="http-only">Method</th><th scope="col" class="http-only">Path</th><th scope="col" class="http-only">Status</th><th scope="col">Duration</th><th scope="col">Bytes in</th><th scope="col">Bytes out</th><th scope="col">Outcome</th></tr></thead>
<tbody></tbody>
</table>
</div>
<aside id="details" class="details" hidden aria-labelledby="details-title">
<div class="details-head">
<h3 id="details-title">Request</h3>
<button id="copy-curl" type="button">Copy as curl</button>
<button id="replay" type="button" hidden>Replay</button>
<button id="replay-backend" type="button" hidden>Replay to backend</button>
<button id="export-har" type="button">Export HAR…</button>
<button id="close-details" type="button" aria-label="Close the details">Close</button>
</div>
<div id="details-body"></div>
</aside>
</section>
</main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>
`;
}
