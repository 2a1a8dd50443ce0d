// Copies the parts of nhsuk-frontend the site serves (script, icons) into static/build/.
import { cpSync, mkdirSync } from "node:fs";

const source = "node_modules/nhsuk-frontend/dist/nhsuk";
const target = "static/build/nhsuk";
mkdirSync(target, { recursive: true });
cpSync(`${source}/assets`, `${target}/assets`, { recursive: true });
for (const file of ["nhsuk-frontend.min.js", "nhsuk-frontend.min.js.map"]) {
  cpSync(`${source}/${file}`, `${target}/${file}`);
}
