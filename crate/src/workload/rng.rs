//! splitmix64: a tiny, platform-independent hash/PRNG (Steele, Lea & Flood).
//! Every draw is a pure function of (seed, task id, stream), so the same seed
//! gives the same tasks in every strategy, on every platform, in any order.

pub(crate) const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// The splitmix64 output function applied to `x + gamma`.
pub(crate) fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(GOLDEN_GAMMA);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// What a draw is for: each attribute of a task has its own stream, so that
/// changing one rate does not reshuffle the others.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Stream {
    Fail = 1,
    Panic = 2,
    Iterations = 3,
    Sleep = 4,
    Trap = 5,
    Arrival = 6,
}

/// 64 random bits for (seed, id, stream).
pub(crate) fn draw(seed: u64, id: u64, stream: Stream) -> u64 {
    splitmix64(splitmix64(splitmix64(seed) ^ id) ^ (stream as u64))
}

/// A uniform number in [0, 1) with 53 random bits (exact in f64).
pub(crate) fn unit(bits: u64) -> f64 {
    (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

#[cfg(all(test, not(loom), not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_reference_values() {
        // The first outputs of splitmix64 seeded with 0 (state advanced by
        // the golden gamma before each output).
        let mut state = 0u64;
        let mut next = || {
            let out = splitmix64(state);
            state = state.wrapping_add(GOLDEN_GAMMA);
            out
        };
        assert_eq!(next(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(next(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(next(), 0x06C4_5D18_8009_454F);
    }

    #[test]
    fn unit_is_in_range() {
        assert_eq!(unit(0), 0.0);
        assert!(unit(u64::MAX) < 1.0);
    }
}
