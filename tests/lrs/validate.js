// Validate xAPI statements with Learning Locker's xapi-validation (npm, 2.1.4).
// stdin: a JSON array of statements; stdout: a JSON array with, for each statement, a list of
// readable problems ("statement.verb.id: expected Internationalized Resource Identifier (IRI), got ...").
// Called by tests/lrs/validate.py; the module is resolved from tests/e2e/node_modules.
"use strict";
const path = require("path");
const modules = process.env.XAPI_VALIDATION_MODULES || path.join(__dirname, "..", "e2e", "node_modules");
const validate = require(require.resolve("xapi-validation", { paths: [modules] })).default;

function describe(warning) {
  const where = (warning.path || []).join(".");
  let text = `${where}: ${warning.name || "Warning"}`;
  if (warning.typeName) text += `, expected ${warning.typeName}`;
  if (warning.keys) text += ` (keys: ${JSON.stringify(warning.keys)})`;
  if (warning.data !== undefined) {
    let shown = JSON.stringify(warning.data);
    if (shown && shown.length > 120) shown = shown.slice(0, 117) + "...";
    text += `, got ${shown}`;
  }
  return text;
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const statements = JSON.parse(input);
  const problems = statements.map((statement) => validate(statement).map(describe));
  process.stdout.write(JSON.stringify(problems));
});
