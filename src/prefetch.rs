//! A cache prefetch hint, for loops that look up big tables in a random order (per-key and
//! per-partition arrays of large workloads do not fit in the processor's caches).

/// Asks the processor to bring `v[i]` into the cache (a hint; nothing happens off x86_64 or past
/// the end of `v`).
#[inline(always)]
pub fn prefetch<T>(v: &[T], i: usize) {
    #[cfg(target_arch = "x86_64")]
    if i < v.len() {
        // SAFETY: the pointer is within `v`; a prefetch reads nothing and cannot fault.
        unsafe {
            std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                v.as_ptr().add(i).cast(),
            )
        };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (v, i);
}

/// How far ahead loops prefetch [iterations].
pub const AHEAD: usize = 16;
