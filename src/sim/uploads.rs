//! Multipart uploads of one key: requests, the parts' storage until completion or abort, and
//! `AbortIncompleteMultipartUpload`.
//!
//! CreateMultipartUpload, UploadPart and CompleteMultipartUpload are PUT-type requests; for GLACIER
//! and DEEP_ARCHIVE destinations the first two are billed at STANDARD request prices and the parts
//! are stored at the STANDARD rate ("staging"), the completion at the destination's PUT price.
//! See: https://aws.amazon.com/s3/pricing/ (Requests & data retrievals; Storage, "staging")
//! Parts of other destinations are billed at the destination class's rate (s3sim's assumption:
//! AWS does not say), on their bytes, with no minimum size or duration. AbortMultipartUpload is
//! free, like DELETE.
//! Only an abort removes parts: "Object expiration lifecycle configurations do not remove
//! incomplete multipart uploads".
//! See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html

use super::object::{Object, Simulator};
use crate::model::time::Micros;
use crate::model::{BillClass, StorageClass};
use crate::workload::Event;

/// An open multipart upload.
#[derive(Debug, Clone)]
pub(super) struct Upload {
    /// Its upload id (0: not known yet: the first part, completion or abort naming an id no open
    /// upload has claims the oldest upload without one, as an access log's initiation, whose
    /// upload id is in the response, is followed by parts naming it).
    id: u32,
    /// The class and tags its object will have.
    class: StorageClass,
    tags: u32,
    /// Bytes of the parts uploaded so far.
    bytes: u64,
    accrued_to: Micros,
    /// When an `AbortIncompleteMultipartUpload` rule aborts it.
    abort_due: Option<Micros>,
}

/// The class whose request prices and storage rate an upload's initiation and parts pay.
fn staging_class(destination: StorageClass) -> StorageClass {
    if destination.is_archive() {
        StorageClass::Standard
    } else {
        destination
    }
}

impl Simulator<'_> {
    /// CreateMultipartUpload, UploadPart or AbortMultipartUpload.
    pub(super) fn upload_request(&mut self, ev: &Event) {
        use crate::model::Op;
        let t = ev.time;
        match ev.op {
            Op::MpuCreate => {
                self.month(t).requests_put[staging_class(ev.class).index()] += 1;
                let id = self.workload.created_id(ev.row);
                self.open_upload(id, ev.class, ev.tags, t);
            }
            Op::MpuPart => {
                let Some(i) = self.find_upload(ev, true) else {
                    return;
                };
                let class = staging_class(self.uploads[i].class);
                self.month(t).requests_put[class.index()] += 1;
                self.accrue_upload(i, t);
                self.uploads[i].bytes = self.uploads[i].bytes.saturating_add(ev.size);
            }
            Op::MpuAbort => {
                if let Some(i) = self.find_upload(ev, false) {
                    self.accrue_upload(i, t);
                    let u = self.uploads.remove(i);
                    self.aborted_uploads.push(u.id);
                    self.stats.versions.uploads_aborted += 1;
                }
            }
            _ => unreachable!("not an upload request"),
        }
    }

    /// CompleteMultipartUpload: the new current version (its size the parts' bytes, or the row's
    /// size when no part was seen), with the class and tags given at initiation.
    pub(super) fn complete_upload(&mut self, ev: &Event) -> Option<Object> {
        let t = ev.time;
        let i = self.find_upload(ev, true)?;
        self.accrue_upload(i, t);
        let u = self.uploads.remove(i);
        self.month(t).requests_put[u.class.index()] += 1;
        self.stats.versions.uploads_completed += 1;
        let size = if u.bytes > 0 { u.bytes } else { ev.size };
        Some(self.create_object(ev, size, u.class, u.tags, 0))
    }

    /// Aborts the uploads an `AbortIncompleteMultipartUpload` rule reaches by `t` (inclusive,
    /// before the horizon's end).
    pub(super) fn advance_uploads(&mut self, t: Micros) {
        let horizon = self.months.end();
        let mut i = 0;
        while i < self.uploads.len() {
            match self.uploads[i].abort_due {
                Some(due) if due <= t && due < horizon => {
                    self.accrue_upload(i, due);
                    let u = self.uploads.remove(i);
                    self.aborted_uploads.push(u.id);
                    self.stats.versions.uploads_aborted_by_rule += 1;
                }
                _ => i += 1,
            }
        }
    }

    /// At the end of the horizon: rule aborts due before it, then the open uploads are billed to
    /// the end and counted.
    pub(super) fn finish_uploads(&mut self) {
        if self.uploads.is_empty() {
            return;
        }
        let end = self.months.end();
        self.advance_uploads(end);
        for i in 0..self.uploads.len() {
            self.accrue_upload(i, end);
        }
        self.stats.versions.uploads_open_at_end += self.uploads.len() as u64;
        self.uploads.clear();
    }

    fn accrue_upload(&mut self, i: usize, t: Micros) {
        let u = &mut self.uploads[i];
        let (from, bytes) = (u.accrued_to, u.bytes);
        if t <= from {
            return;
        }
        u.accrued_to = t;
        let bc = BillClass::of(staging_class(u.class));
        if bytes > 0 {
            self.accrue_parts(bc, bytes, from, t);
        }
    }

    /// The open upload a part, completion or abort names (see [`Upload::id`]); when there is none
    /// and `create`, an upload started now (its initiation was not in the input) of a STANDARD
    /// object.
    fn find_upload(&mut self, ev: &Event, create: bool) -> Option<usize> {
        let vid = ev.named_id();
        let found = if vid == 0 {
            (!self.uploads.is_empty()).then_some(0)
        } else {
            self.uploads.iter().position(|u| u.id == vid).or_else(|| {
                let i = self.uploads.iter().position(|u| u.id == 0)?;
                self.uploads[i].id = vid;
                Some(i)
            })
        };
        if found.is_some() || !create {
            return found;
        }
        // S3 answers NoSuchUpload for an upload that was aborted: nothing happens.
        if vid != 0 && self.aborted_uploads.contains(&vid) {
            self.stats.versions.requests_to_aborted_uploads += 1;
            return None;
        }
        Some(self.open_upload(vid, StorageClass::Standard, 0, ev.time))
    }

    /// Opens an upload of the key at `t` (with the time an abort rule ends it); its index.
    fn open_upload(&mut self, id: u32, class: StorageClass, tags: u32, t: Micros) -> usize {
        let key = &self.workload.keys[self.key as usize];
        let abort_due = self.policy.policy().abort_due(key, t);
        self.stats.versions.uploads_created += 1;
        self.uploads.push(Upload {
            id,
            class,
            tags,
            bytes: 0,
            accrued_to: t.max(self.months.start()),
            abort_due,
        });
        self.uploads.len() - 1
    }
}
