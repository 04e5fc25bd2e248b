// An Express sample for Local LB: each copy listens on PORT (set by Local LB) and says which.
const express = require('express');

const port = Number(process.env.PORT || 3000);
const app = express();
app.get('/', (_request, response) => response.type('text').send(`hello from Express on port ${port}`));
app.get('/health', (_request, response) => response.send('ok'));
app.listen(port, '127.0.0.1', () => console.log(`listening on 127.0.0.1:${port}`));
