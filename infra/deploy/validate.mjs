// Validates every manifest in kubernetes/ against the Kubernetes API schemas of the npm package kubernetes-models
// (its classes check an object with the OpenAPI schema of its kind). Run by validate.sh; exits 1 on the first
// invalid document, printing why.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import yaml from "js-yaml";
import * as core from "kubernetes-models/v1";
import * as apps from "kubernetes-models/apps/v1";
import * as policy from "kubernetes-models/policy/v1";

const kinds = {
  "v1/Namespace": core.Namespace, "v1/ConfigMap": core.ConfigMap, "v1/Service": core.Service, "v1/Secret": core.Secret,
  "apps/v1/Deployment": apps.Deployment, "apps/v1/StatefulSet": apps.StatefulSet,
  "policy/v1/PodDisruptionBudget": policy.PodDisruptionBudget,
};
const folder = process.argv[2];
let count = 0;
for (const file of readdirSync(folder).filter((f) => f.endsWith(".yaml")).sort()) {
  for (const doc of yaml.loadAll(readFileSync(join(folder, file), "utf8")).filter((d) => d)) {
    const Model = kinds[`${doc.apiVersion}/${doc.kind}`];
    const name = `${file}: ${doc.kind} ${doc.metadata?.name}`;
    if (!Model) {
      console.error(`${name}: no schema for ${doc.apiVersion}/${doc.kind}`);
      process.exit(1);
    }
    try {
      new Model(doc).validate();
    } catch (e) {
      console.error(`${name}: ${e.message}`);
      process.exit(1);
    }
    count++;
  }
}
console.log(`${count} manifests valid against the Kubernetes API schemas (kubernetes-models)`);
