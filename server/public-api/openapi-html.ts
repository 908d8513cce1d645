/**
 * A readable, self-contained HTML page for the OpenAPI document (no scripts, no external assets:
 * the product runs offline). Pure: document in, HTML string out.
 */
type Json = Record<string, unknown>;

const escape = (value: unknown): string =>
  String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/** Just enough Markdown for our descriptions: `code`, **bold**, paragraphs. Input is escaped first. */
const markdown = (text: unknown): string =>
  escape(text)
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${paragraph.replace(/`([^`]+)`/g, '<code>$1</code>').replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')}</p>`)
    .join('');

const asObject = (value: unknown): Json => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});

function resolve(document: Json, value: unknown): Json {
  const ref = asObject(value).$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return asObject(value);
  let node: unknown = document;
  for (const part of ref.slice(2).split('/')) node = asObject(node)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return asObject(node);
}

function schemaLabel(schema: Json): string {
  if (typeof schema.$ref === 'string') return schema.$ref.split('/').at(-1) ?? '';
  const parts: string[] = [];
  if (Array.isArray(schema.enum)) parts.push(schema.enum.map(String).join(' | '));
  else if (schema.type) parts.push(Array.isArray(schema.type) ? schema.type.join(' | ') : String(schema.type));
  if (schema.format) parts.push(`(${String(schema.format)})`);
  if (schema.minimum !== undefined || schema.maximum !== undefined) parts.push(`${String(schema.minimum ?? '')}…${String(schema.maximum ?? '')}`);
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  return parts.join(' ');
}

function operationHtml(document: Json, method: string, path: string, op: Json): string {
  const parameters = (Array.isArray(op.parameters) ? op.parameters : []).map((parameter) => resolve(document, parameter));
  const parameterRows = parameters
    .map((p) => `<tr><td><code>${escape(p.name)}</code></td><td>${escape(p.in)}</td><td>${p.required ? 'yes' : 'no'}</td><td>${escape(schemaLabel(asObject(p.schema)))}</td><td>${escape(p.description)}</td></tr>`)
    .join('');
  const body = asObject(op.requestBody);
  const bodyHtml = body.content
    ? `<h4>Request body</h4><p>${Object.entries(asObject(body.content))
        .map(([type, media]) => `<code>${escape(type)}</code>${asObject(asObject(media).schema).$ref ? ` — ${escape(schemaLabel(asObject(asObject(media).schema)))}` : ''}`)
        .join(', ')}</p>${markdown(body.description)}`
    : '';
  const responses = Object.entries(asObject(op.responses))
    .map(([status, response]) => {
      const resolved = resolve(document, response);
      const types = Object.entries(asObject(resolved.content))
        .map(([type, media]) => `<code>${escape(type)}</code>${asObject(asObject(media).schema).$ref ? ` (${escape(schemaLabel(asObject(asObject(media).schema)))})` : ''}`)
        .join(', ');
      return `<tr><td>${escape(status)}</td><td>${types}</td><td>${escape(resolved.description)}</td></tr>`;
    })
    .join('');
  const scopes = Array.isArray(op['x-required-scopes']) ? op['x-required-scopes'].map(String) : [];
  const id = escape(op.operationId);
  return `<section class="op" id="${id}">
<h3><span class="method ${escape(method)}">${escape(method.toUpperCase())}</span> <code>${escape(path)}</code> — ${escape(op.summary)}</h3>
<p class="meta">operationId <code>${id}</code> · ${scopes.length > 0 ? `scope ${scopes.map((scope) => `<code>${escape(scope)}</code>`).join(', ')}` : 'public (no API key)'}</p>
${markdown(op.description)}
${parameterRows ? `<h4>Parameters</h4><table><thead><tr><th>Name</th><th>In</th><th>Required</th><th>Schema</th><th>Description</th></tr></thead><tbody>${parameterRows}</tbody></table>` : ''}
${bodyHtml}
<h4>Responses</h4><table><thead><tr><th>Status</th><th>Content</th><th>Description</th></tr></thead><tbody>${responses}</tbody></table>
</section>`;
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
code{font:13px ui-monospace,monospace;background:#f2f4f7;padding:0 .25em;border-radius:3px}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #d6dbe1;padding:.3rem .5rem;text-align:left;vertical-align:top}
.op{border-top:1px solid #d6dbe1;padding-top:.5rem;margin-top:1.5rem}.meta{color:#5a6470}
.method{font:600 12px ui-monospace,monospace;padding:.1rem .4rem;border-radius:3px;color:#fff;background:#2f6fb3}.method.post{background:#2e8540}
nav li{margin:.1rem 0}pre{background:#f2f4f7;padding:.75rem;overflow-x:auto}pre code{background:none;padding:0}`;

/** The HTML documentation page of an OpenAPI 3.1 document built by `buildOpenApiDocument`. */
export function renderOpenApiHtml(document: Json, options: { specUrl?: string; webhookSnippet?: string } = {}): string {
  const info = asObject(document.info);
  const operations: { method: string; path: string; op: Json; tag: string }[] = [];
  for (const [path, item] of Object.entries(asObject(document.paths))) {
    for (const [method, op] of Object.entries(asObject(item))) {
      const operation = asObject(op);
      const tags = Array.isArray(operation.tags) ? operation.tags.map(String) : [];
      operations.push({ method, path, op: operation, tag: tags[0] ?? 'Other' });
    }
  }
  const tags = [...new Set(operations.map((entry) => entry.tag))];
  const server = escape(asObject(Array.isArray(document.servers) ? document.servers[0] : undefined).url);
  const webhookTag = (Array.isArray(document.tags) ? document.tags : []).map(asObject).find((tag) => tag.name === 'Webhooks');
  const webhookEvents = Object.entries(asObject(document.webhooks))
    .map(([type, item]) => {
      const op = asObject(asObject(item).post);
      const schema = asObject(asObject(asObject(asObject(asObject(op.requestBody).content)['application/json']).schema));
      return `<li><code>${escape(type)}</code> — ${markdown(op.description).replace(/^<p>|<\/p>$/g, '')} Body: <code>${escape(schemaLabel(schema))}</code> (see the OpenAPI document’s <code>webhooks</code>).</li>`;
    })
    .join('');
  const webhooks = webhookTag
    ? `<h2 id="webhooks">Webhooks</h2>${markdown(webhookTag.description)}<ul>${webhookEvents}</ul>${
        options.webhookSnippet ? `<h3>Verifying a delivery (Node.js)</h3><pre><code>${escape(options.webhookSnippet)}</code></pre>` : ''
      }`
    : '';
  const nav = operations
    .map(({ method, path, op }) => `<li><a href="#${escape(op.operationId)}"><code>${escape(method.toUpperCase())} ${escape(path)}</code></a> — ${escape(op.summary)}</li>`)
    .join('');
  const sections = tags
    .map((tag) => `<h2>${escape(tag)}</h2>${operations.filter((entry) => entry.tag === tag).map(({ method, path, op }) => operationHtml(document, method, path, op)).join('\n')}`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(info.title)} ${escape(info.version)}</title><style>${STYLE}</style></head>
<body><main>
<h1>${escape(info.title)} <small>${escape(info.version)}</small></h1>
<p>Base URL: <code>${server}</code>${options.specUrl ? ` · OpenAPI 3.1 document: <a href="${escape(options.specUrl)}"><code>${escape(options.specUrl)}</code></a>` : ''}</p>
<h2>Conventions</h2>
${markdown(info.description)}
<h2>Operations</h2><nav><ul>${nav}</ul></nav>
${sections}
${webhooks}
</main></body></html>
`;
}
