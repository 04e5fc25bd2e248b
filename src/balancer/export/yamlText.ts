// A small YAML writer for the exports: block mappings and sequences, every string double-quoted
// (JSON's escaping is YAML's), so that no value can start a key, a line or a document.

export type YamlValue = string | number | boolean | YamlValue[] | { [key: string]: YamlValue | undefined };

export function toYaml(value: YamlValue, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return `${indent}[]`;
    return value.map((item) => `${indent}- ${block(item, `${indent}  `).trimStart()}`).join('\n');
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value).filter((entry): entry is [string, YamlValue] => entry[1] !== undefined);
    if (entries.length === 0) return `${indent}{}`;
    return entries
      .map(([name, item]) => {
        const key = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : JSON.stringify(name);
        return isScalar(item) || isEmpty(item) ? `${indent}${key}: ${block(item, '')}` : `${indent}${key}:\n${block(item, `${indent}  `)}`;
      })
      .join('\n');
  }
  return scalar(value);
}

function block(value: YamlValue, indent: string): string {
  return isScalar(value) ? scalar(value) : toYaml(value, indent);
}

function isScalar(value: YamlValue): value is string | number | boolean {
  return typeof value !== 'object';
}

function isEmpty(value: YamlValue): boolean {
  return Array.isArray(value) ? value.length === 0 : typeof value === 'object' && Object.keys(value).length === 0;
}

function scalar(value: string | number | boolean): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
