//! `s3sim k8s-job`: the Kubernetes Indexed Job that runs a sharded `s3sim run` (one pod per
//! shard, each taking its index from JOB_COMPLETION_INDEX), and the Job that merges the ledgers.
//! See: https://kubernetes.io/docs/concepts/workloads/controllers/job/#completion-mode
//! See: https://kubernetes.io/docs/concepts/workloads/controllers/job/#backoff-limit-per-index

use anyhow::{Result, bail};
use serde_json::{Value, json};

use super::args::{K8sJobArgs, ManifestFormat};
use crate::shard::MAX_SHARDS;

/// Options `k8s-job` sets itself in the workers' `run`.
const SET_BY_JOB: [&str; 5] = ["--shard", "--shards", "--ledger-out", "--out", "--records"];

/// The manifest `k8s-job` prints, as text.
pub fn manifest(a: &K8sJobArgs) -> Result<String> {
    let job = job(a)?;
    Ok(match a.format {
        ManifestFormat::Json => {
            serde_json::to_string_pretty(&job).expect("plain data serializes") + "\n"
        }
        ManifestFormat::Yaml => {
            let mut out = String::new();
            let ledgers = ledger_dir(a);
            let report = format!("{}/reports/{}", a.mount_path, a.name);
            match a.step {
                super::args::JobStep::Run => {
                    out.push_str(&format!(
                        "# s3sim: {} shards of one run, as a Kubernetes Indexed Job (one pod per shard).\n\
                         # Each pod writes its ledger to {ledgers}/ on the volume claim {:?}; when every\n\
                         # index has completed, merge them:\n\
                         #   kubectl wait --for=condition=complete job/{} --timeout=24h\n\
                         #   s3sim k8s-job --step merge --name {} --image {} --volume-claim {} --mount-path {} | kubectl apply -f -\n\
                         # which writes the report to {report}/.\n",
                        a.shards, a.volume_claim, a.name, a.name, a.image, a.volume_claim, a.mount_path
                    ));
                }
                super::args::JobStep::Merge => out.push_str(&format!(
                    "# s3sim: merge the ledgers in {ledgers}/ into the report {report}/ (after job/{} completed).\n",
                    a.name
                )),
            }
            yaml(&job, 0, &mut out);
            out
        }
    })
}

fn ledger_dir(a: &K8sJobArgs) -> String {
    format!("{}/ledgers/{}", a.mount_path, a.name)
}

/// The Job as JSON: the workers' Indexed Job, or the merge Job.
pub fn job(a: &K8sJobArgs) -> Result<Value> {
    check_name(&a.name)?;
    if !(1..=MAX_SHARDS).contains(&a.shards) {
        bail!("--shards {}: must be from 1 to {MAX_SHARDS}", a.shards);
    }
    if !a.mount_path.starts_with('/') {
        bail!("--mount-path {:?}: must be an absolute path", a.mount_path);
    }
    let ledgers = ledger_dir(a);
    let (name, args, indexed) = match a.step {
        super::args::JobStep::Run => {
            match a.command.first().map(String::as_str) {
                Some("run") => {}
                _ => bail!(
                    "after `--`, give `run` and its arguments, e.g. `-- run --workload {}/logs --policy {}/p.json`",
                    a.mount_path,
                    a.mount_path
                ),
            }
            if let Some(bad) = a.command.iter().find(|x| {
                SET_BY_JOB
                    .iter()
                    .any(|o| *x == o || x.starts_with(&format!("{o}=")))
            }) {
                bail!(
                    "{bad}: k8s-job sets --shard, --shards and --ledger-out itself; leave it out"
                );
            }
            if a.command
                .iter()
                .any(|x| x == "--max-memory" || x.starts_with("--max-memory="))
            {
                bail!(
                    "--max-memory: a shard cannot spill (it cannot be combined with --shard); give the pods more memory with --memory, or more shards"
                );
            }
            let mut args = a.command.clone();
            args.extend([
                "--shard".to_string(),
                "env".to_string(),
                "--shards".to_string(),
                a.shards.to_string(),
                "--ledger-out".to_string(),
                format!("{ledgers}/"),
                "--quiet".to_string(),
            ]);
            (a.name.clone(), args, true)
        }
        super::args::JobStep::Merge => {
            if !a.command.is_empty() {
                bail!("--step merge takes no command after `--`");
            }
            let args = vec![
                "merge".to_string(),
                format!("{ledgers}/"),
                "--out".to_string(),
                format!("{}/reports/{}", a.mount_path, a.name),
            ];
            (format!("{}-merge", a.name), args, false)
        }
    };
    let mut container = json!({
        "name": "s3sim",
        "image": a.image,
        "command": ["s3sim"],
        "args": args,
        "volumeMounts": [{"name": "data", "mountPath": a.mount_path}],
    });
    let mut resources = serde_json::Map::new();
    if let Some(m) = &a.memory {
        resources.insert("memory".into(), json!(m));
    }
    if let Some(c) = &a.cpu {
        resources.insert("cpu".into(), json!(c));
    }
    if !resources.is_empty() {
        container["resources"] = json!({"requests": resources.clone(), "limits": resources});
    }
    let mut spec = json!({
        "template": {
            "metadata": {"labels": {"app.kubernetes.io/name": "s3sim", "s3sim/job": a.name}},
            "spec": {
                "restartPolicy": "Never",
                "containers": [container],
                "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": a.volume_claim}}],
            }
        }
    });
    if indexed {
        let parallelism = a.parallelism.unwrap_or(a.shards).clamp(1, a.shards);
        spec["completionMode"] = json!("Indexed");
        spec["completions"] = json!(a.shards);
        spec["parallelism"] = json!(parallelism);
        spec["backoffLimitPerIndex"] = json!(a.backoff_limit_per_index);
        // A failed index fails the Job: the merge needs every shard.
        spec["maxFailedIndexes"] = json!(0);
    } else {
        spec["completions"] = json!(1);
        spec["backoffLimit"] = json!(a.backoff_limit_per_index);
    }
    let mut metadata = json!({"name": name, "labels": {"app.kubernetes.io/name": "s3sim"}});
    if let Some(ns) = &a.namespace {
        metadata["namespace"] = json!(ns);
    }
    Ok(json!({
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": metadata,
        "spec": spec,
    }))
}

/// A Job's name becomes its pods' label and hostname prefix: a DNS label, short enough for
/// the index and the `-merge` suffix.
fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 50
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-');
    if !ok {
        bail!(
            "--name {name:?}: a Job name must be lowercase letters, digits and '-', start and end with a letter or digit, at most 50 characters"
        );
    }
    Ok(())
}

/// Writes `v` as block YAML (strings double-quoted, as JSON writes them: valid YAML).
fn yaml(v: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                match x {
                    Value::Object(m) if !m.is_empty() => {
                        out.push_str(&format!("{pad}{k}:\n"));
                        yaml(x, indent + 2, out);
                    }
                    Value::Array(a) if !a.is_empty() => {
                        out.push_str(&format!("{pad}{k}:\n"));
                        yaml(x, indent, out);
                    }
                    _ => out.push_str(&format!("{pad}{k}: {}\n", scalar(x))),
                }
            }
        }
        Value::Array(items) => {
            for x in items {
                match x {
                    Value::Object(m) if !m.is_empty() => {
                        let mut inner = String::new();
                        yaml(x, indent + 2, &mut inner);
                        // The first key goes on the dash's line.
                        out.push_str(&format!("{pad}- {}", &inner[indent + 2..]));
                    }
                    _ => out.push_str(&format!("{pad}- {}\n", scalar(x))),
                }
            }
        }
        _ => out.push_str(&format!("{pad}{}\n", scalar(v))),
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::args::{JobStep, K8sJobArgs, ManifestFormat};

    fn args(command: &[&str]) -> K8sJobArgs {
        K8sJobArgs {
            shards: 400,
            image: "registry.example/s3sim:1".into(),
            name: "big".into(),
            parallelism: Some(50),
            backoff_limit_per_index: 3,
            volume_claim: "s3sim-data".into(),
            mount_path: "/data".into(),
            memory: Some("8Gi".into()),
            cpu: None,
            namespace: None,
            format: ManifestFormat::Yaml,
            step: JobStep::Run,
            command: command.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn indexed_job_fields() {
        let j = job(&args(&[
            "run",
            "--workload",
            "/data/logs",
            "--policy",
            "/data/p.json",
        ]))
        .unwrap();
        let spec = &j["spec"];
        assert_eq!(j["kind"], "Job");
        assert_eq!(j["apiVersion"], "batch/v1");
        assert_eq!(spec["completionMode"], "Indexed");
        assert_eq!(spec["completions"], 400);
        assert_eq!(spec["parallelism"], 50);
        assert_eq!(spec["backoffLimitPerIndex"], 3);
        assert_eq!(spec["maxFailedIndexes"], 0);
        let pod = &spec["template"]["spec"];
        assert_eq!(pod["restartPolicy"], "Never");
        let c = &pod["containers"][0];
        let got: Vec<&str> = c["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(
            got,
            [
                "run",
                "--workload",
                "/data/logs",
                "--policy",
                "/data/p.json",
                "--shard",
                "env",
                "--shards",
                "400",
                "--ledger-out",
                "/data/ledgers/big/",
                "--quiet"
            ]
        );
        assert_eq!(c["resources"]["limits"]["memory"], "8Gi");
        assert_eq!(
            pod["volumes"][0]["persistentVolumeClaim"]["claimName"],
            "s3sim-data"
        );
    }

    #[test]
    fn yaml_is_the_json_in_block_style() {
        // tests/k8s/validate.sh parses this YAML against the Kubernetes schema; here, its shape:
        // nested maps indented by two, list items at their key's indent, JSON scalars.
        let a = args(&["run", "--workload", "/data/logs"]);
        let text = manifest(&a).unwrap();
        let body: String =
            text.lines()
                .filter(|l| !l.starts_with('#'))
                .fold(String::new(), |mut s, l| {
                    s.push_str(l);
                    s.push('\n');
                    s
                });
        assert!(
            body.starts_with("apiVersion: \"batch/v1\"\nkind: \"Job\"\n"),
            "{body}"
        );
        assert!(
            body.contains("\n  completionMode: \"Indexed\"\n  completions: 400\n"),
            "{body}"
        );
        let containers = "      containers:\n      - args:\n        - \"run\"\n        - \"--workload\"\n        - \"/data/logs\"\n        - \"--shard\"\n        - \"env\"\n        - \"--shards\"\n        - \"400\"\n        - \"--ledger-out\"\n        - \"/data/ledgers/big/\"\n        - \"--quiet\"\n        command:\n        - \"s3sim\"\n        image: \"registry.example/s3sim:1\"\n        name: \"s3sim\"\n";
        assert!(body.contains(containers), "{body}");
        assert!(
            body.contains("\n      restartPolicy: \"Never\"\n"),
            "{body}"
        );
        // Every line is `key: scalar`, `key:`, `- scalar` or `- key: ...`, indented by twos.
        for l in body.lines() {
            let indent = l.len() - l.trim_start().len();
            assert_eq!(indent % 2, 0, "{l}");
            let t = l.trim_start();
            assert!(t.starts_with("- ") || t.contains(':'), "{l}");
        }
    }

    #[test]
    fn refusals() {
        for (cmd, message) in [
            (&["validate", "p.json"][..], "give `run`"),
            (&["run", "--shard", "1/2"][..], "--shard: k8s-job sets"),
            (&["run", "--out=x"][..], "--out=x: k8s-job sets"),
        ] {
            let e = job(&args(cmd)).unwrap_err().to_string();
            assert!(e.contains(message), "{cmd:?}: {e}");
        }
        let mut a = args(&["run"]);
        a.name = "Big_Job".into();
        assert!(job(&a).unwrap_err().to_string().contains("a Job name"));
        let mut a = args(&[]);
        a.step = JobStep::Merge;
        let j = job(&a).unwrap();
        assert_eq!(j["metadata"]["name"], "big-merge");
        assert_eq!(
            j["spec"]["template"]["spec"]["containers"][0]["args"][1],
            "/data/ledgers/big/"
        );
    }
}
