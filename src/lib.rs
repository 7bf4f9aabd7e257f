//! s3sim: replay S3 workloads against lifecycle policies and bill them as S3 would.
pub mod model;
