/* The API reference, rendered from /openapi.json with textContent only (no CDN, no inline script). */
"use strict";
function el(tag, cls, ...children) {
  const n = document.createElement(tag);
  if (cls) n.className = cls;
  for (const c of children.flat()) if (c !== null && c !== undefined) n.append(c instanceof Node ? c : String(c));
  return n;
}
function typeOf(schema, spec) {
  if (!schema) return "";
  if (schema.$ref) return schema.$ref.split("/").pop();
  if (schema.anyOf) return schema.anyOf.map(s => typeOf(s, spec)).filter(t => t !== "null").join(" | ");
  if (schema.enum) return schema.enum.join(" | ");
  if (schema.type === "array") return typeOf(schema.items, spec) + "[]";
  let t = schema.type || "";
  if (schema.format) t += ` (${schema.format})`;
  const bounds = [];
  if (schema.minimum !== undefined) bounds.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) bounds.push(`≤ ${schema.maximum}`);
  return t + (bounds.length ? " " + bounds.join(", ") : "");
}
async function main() {
  const spec = await (await fetch("openapi.json")).json();
  const root = document.getElementById("docs");
  root.replaceChildren(el("p", null, spec.info.description || ""),
                       el("p", "muted", `version ${spec.info.version} · OpenAPI ${spec.openapi}`));
  for (const [path, ops] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const sec = el("section", "op");
      const title = el("h2", null, el("span", "method " + method, method), " ");
      if (method === "get" && !path.includes("{")) {
        const a = el("a", "path", path); a.href = path.replace(/^\//, ""); title.append(a);
      } else title.append(el("span", "path", path));
      sec.append(title, el("p", null, op.summary || ""));
      if (op.description) sec.append(el("p", "muted", op.description));
      const params = op.parameters || [];
      if (params.length) {
        const rows = params.map(p => el("tr", null, el("td", null, el("code", null, p.name)), el("td", null, p.in),
          el("td", "type", typeOf(p.schema, spec)), el("td", null, p.required ? "required" : ""),
          el("td", null, p.description || (p.schema && p.schema.description) || "")));
        sec.append(el("table", null, el("thead", null, el("tr", null, ["name", "in", "type", "", "description"].map(h => el("th", null, h)))),
                      el("tbody", null, rows)));
      }
      if (op.requestBody) {
        const kinds = Object.keys(op.requestBody.content || {});
        sec.append(el("p", null, "Request body: ", kinds.map(k => el("code", null, k + " "))));
        for (const k of kinds) {
          const ex = op.requestBody.content[k].example;
          if (ex) sec.append(el("pre", null, typeof ex === "string" ? ex : JSON.stringify(ex, null, 2)));
        }
      }
      const codes = Object.keys(op.responses || {});
      sec.append(el("p", "muted", "Responses: " + codes.join(", ") + "; errors are JSON {\"error\", \"status\"}."));
      root.append(sec);
    }
  }
}
main().catch(e => { document.getElementById("docs").textContent = "could not load openapi.json: " + e; });
