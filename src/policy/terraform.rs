//! A lifecycle configuration as a Terraform `aws_s3_bucket_lifecycle_configuration` (AWS
//! provider), for `s3sim validate --emit terraform` and `s3sim recommend`: one `rule` block per
//! rule, in file order, the bucket a variable.
//! See: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_lifecycle_configuration

use std::fmt::Write as _;

use super::{DefaultMinSize, Filter, Policy, When};

/// A Terraform string literal (JSON's escapes are HCL's for these characters; `${` and `%{`
/// start templates in HCL, so they are escaped as `$${` and `%%{`).
fn lit(s: &str) -> String {
    // JSON's `\b` and `\f` are no HCL escapes: HCL takes `\uNNNN` for them.
    serde_json::Value::from(s)
        .to_string()
        .replace("\\b", "\\u0008")
        .replace("\\f", "\\u000c")
        .replace("${", "$${")
        .replace("%{", "%%{")
}

/// A Terraform name from `s`: letters, digits, `_` and `-` kept, anything else `_`, and `_` in
/// front when it would not start with a letter or `_` (as Terraform requires).
pub fn resource_name(s: &str) -> String {
    let mut n: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !n.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        n.insert(0, '_');
    }
    n
}

fn when(w: When) -> String {
    match w {
        When::Days(n) => format!("days          = {n}"),
        When::Date(d) => format!(
            "date          = \"{}\"",
            crate::model::time::to_datetime(d).format("%Y-%m-%dT00:00:00Z")
        ),
    }
}

fn filter(f: &Filter) -> String {
    let conditions = usize::from(!f.prefix.is_empty())
        + f.tags.len()
        + usize::from(f.size_gt.is_some())
        + usize::from(f.size_lt.is_some());
    let mut t = String::new();
    if conditions == 0 {
        return "    filter {}\n".into();
    }
    if conditions == 1 {
        t.push_str("    filter {\n");
        if !f.prefix.is_empty() {
            let _ = writeln!(t, "      prefix = {}", lit(&f.prefix));
        }
        for (k, v) in &f.tags {
            let _ = writeln!(
                t,
                "      tag {{\n        key   = {}\n        value = {}\n      }}",
                lit(k),
                lit(v)
            );
        }
        if let Some(n) = f.size_gt {
            let _ = writeln!(t, "      object_size_greater_than = {n}");
        }
        if let Some(n) = f.size_lt {
            let _ = writeln!(t, "      object_size_less_than = {n}");
        }
        t.push_str("    }\n");
        return t;
    }
    t.push_str("    filter {\n      and {\n");
    if !f.prefix.is_empty() {
        let _ = writeln!(t, "        prefix = {}", lit(&f.prefix));
    }
    if let Some(n) = f.size_gt {
        let _ = writeln!(t, "        object_size_greater_than = {n}");
    }
    if let Some(n) = f.size_lt {
        let _ = writeln!(t, "        object_size_less_than = {n}");
    }
    if !f.tags.is_empty() {
        t.push_str("        tags = {\n");
        for (k, v) in &f.tags {
            let _ = writeln!(t, "          {} = {}", lit(k), lit(v));
        }
        t.push_str("        }\n");
    }
    t.push_str("      }\n    }\n");
    t
}

/// The Terraform form of `p` as the resource `name`, under a first comment line `header`, with
/// the `bucket` variable it uses.
pub fn terraform(p: &Policy, name: &str, header: &str) -> String {
    format!(
        "# {header}\nvariable \"bucket\" {{\n  type = string\n}}\n\n{}",
        resource(p, name)
    )
}

/// The `aws_s3_bucket_lifecycle_configuration` resource alone (several share one `bucket`
/// variable). Rules without an ID get `rule-N`, skipping IDs the configuration already uses.
pub fn resource(p: &Policy, name: &str) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "resource \"aws_s3_bucket_lifecycle_configuration\" {} {{\n  bucket = var.bucket",
        lit(&resource_name(name))
    );
    if p.default_min_size != DefaultMinSize::AllStorageClasses128K {
        let _ = writeln!(
            t,
            "  transition_default_minimum_object_size = {}",
            lit(p.default_min_size.api_name())
        );
    }
    let mut used: Vec<String> = p.rules.iter().map(|r| r.id.clone()).collect();
    for (i, r) in p.rules.iter().enumerate() {
        let id = if r.id.is_empty() {
            let mut n = i + 1;
            while used.contains(&format!("rule-{n}")) {
                n += 1;
            }
            used.push(format!("rule-{n}"));
            format!("rule-{n}")
        } else {
            r.id.clone()
        };
        let _ = write!(
            t,
            "\n  rule {{\n    id     = {}\n    status = \"{}\"\n\n{}",
            lit(&id),
            if r.enabled { "Enabled" } else { "Disabled" },
            filter(&r.filter)
        );
        for &(w, class) in &r.transitions {
            let _ = write!(
                t,
                "\n    transition {{\n      {}\n      storage_class = \"{}\"\n    }}\n",
                when(w),
                class.api_name()
            );
        }
        if r.expiration.is_some() || r.expired_object_delete_marker {
            t.push_str("\n    expiration {\n");
            if let Some(w) = r.expiration {
                let _ = writeln!(t, "      {}", when(w).replace("          =", " ="));
            }
            if r.expired_object_delete_marker {
                t.push_str("      expired_object_delete_marker = true\n");
            }
            t.push_str("    }\n");
        }
        for n in &r.noncurrent_transitions {
            let _ = write!(
                t,
                "\n    noncurrent_version_transition {{\n      noncurrent_days = {}\n",
                n.days
            );
            if let Some(k) = n.newer_noncurrent_versions {
                let _ = writeln!(t, "      newer_noncurrent_versions = {k}");
            }
            let _ = writeln!(
                t,
                "      storage_class = \"{}\"\n    }}",
                n.storage_class.api_name()
            );
        }
        if let Some(e) = r.noncurrent_expiration {
            let _ = write!(
                t,
                "\n    noncurrent_version_expiration {{\n      noncurrent_days = {}\n",
                e.days
            );
            if let Some(k) = e.newer_noncurrent_versions {
                let _ = writeln!(t, "      newer_noncurrent_versions = {k}");
            }
            t.push_str("    }\n");
        }
        if let Some(d) = r.abort_incomplete_multipart_upload_days {
            let _ = write!(
                t,
                "\n    abort_incomplete_multipart_upload {{\n      days_after_initiation = {d}\n    }}\n"
            );
        }
        t.push_str("  }\n");
    }
    t.push_str("}\n");
    t
}
