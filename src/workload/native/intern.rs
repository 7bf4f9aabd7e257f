//! The key table of the native reader: keys interned shard by shard (by hash), each shard a
//! compact open-addressing table, so that a shard stays in the processor's caches.

use super::Piece;
use crate::prefetch::{AHEAD, prefetch};

/// One shard of the key table: an open-addressing hash table of key ids (shard-local, in order of
/// first appearance), the keys' bytes back to back, and where each key ends. Compact, so that a
/// shard's table stays in the processor's caches while it is interned.
pub(super) struct Shard {
    /// 0 = empty, else (the hash's bits 32..64) << 32 | (id + 1).
    slots: Vec<u64>,
    arena: String,
    ends: Vec<usize>,
}

impl Default for Shard {
    fn default() -> Shard {
        Shard {
            slots: vec![0; 1024],
            arena: String::new(),
            ends: Vec::new(),
        }
    }
}

impl Shard {
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    pub(super) fn key(&self, id: usize) -> &str {
        let start = if id == 0 { 0 } else { self.ends[id - 1] };
        &self.arena[start..self.ends[id]]
    }

    /// The id of `key` (hash `h`), adding it if new.
    fn id(&mut self, key: &str, h: u64) -> u32 {
        let mask = self.slots.len() - 1;
        let tag = h >> 32;
        let mut i = h as usize & mask;
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                break;
            }
            let id = (slot as u32 - 1) as usize;
            if slot >> 32 == tag && self.key(id) == key {
                return id as u32;
            }
            i = (i + 1) & mask;
        }
        let id = self.ends.len();
        self.arena.push_str(key);
        self.ends.push(self.arena.len());
        self.slots[i] = tag << 32 | (id as u64 + 1);
        if self.ends.len() * 2 > self.slots.len() {
            self.grow();
        }
        id as u32
    }

    fn grow(&mut self) {
        let size = self.slots.len() * 2;
        let old = std::mem::replace(&mut self.slots, vec![0; size]);
        let mask = self.slots.len() - 1;
        for slot in old.into_iter().filter(|&s| s != 0) {
            let id = (slot as u32 - 1) as usize;
            let h = key_hash(self.key(id));
            let mut i = h as usize & mask;
            while self.slots[i] != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = slot;
        }
    }

    /// Interns the keys of `pieces` that fall in shard `s`, in file order; returns, per piece, the
    /// shard-local id of each listed event.
    pub(super) fn intern(&mut self, s: usize, pieces: &[Piece]) -> Vec<Vec<u32>> {
        pieces
            .iter()
            .map(|p| {
                let list = &p.by_shard[s];
                let mut ids = Vec::with_capacity(list.len());
                for (j, &i) in list.iter().enumerate() {
                    if let Some(&ahead) = list.get(j + AHEAD) {
                        let h = p.hashes[ahead as usize];
                        prefetch(&self.slots, h as usize & (self.slots.len() - 1));
                    }
                    let (a, b) = p.spans[i as usize];
                    ids.push(self.id(&p.arena[a as usize..b as usize], p.hashes[i as usize]));
                }
                ids
            })
            .collect()
    }
}

/// A key's hash: FxHash, deterministic across runs and machines. Its top bits pick the shard.
pub(super) fn key_hash(key: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(key)
}
