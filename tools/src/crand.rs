//! glibc's `srand(3)`/`rand(3)` (the default `TYPE_3` additive feedback generator), so that a
//! tool given the same `-r` seed as the C tool draws the same message sizes, PPIDs, streams
//! and orders.

/// The state of glibc's default random generator: `r[i] = r[i-3] + r[i-31]`, output
/// `r[i] >> 1`.
#[derive(Clone, Debug)]
pub struct CRand {
    ring: [u32; 34],
    i: usize,
}

impl CRand {
    /// `srand(seed)` (0 acts as 1, as in glibc).
    pub fn new(seed: u32) -> CRand {
        let mut r = [0i64; 344];
        r[0] = i64::from(if seed == 0 { 1 } else { seed });
        for i in 1..31 {
            // 16807 * r[i-1] mod (2^31 - 1), with glibc's Schrage decomposition (glibc reads
            // the unsigned seed into a `long`).
            let hi = r[i - 1] / 127_773;
            let lo = r[i - 1] % 127_773;
            let mut word = 16_807 * lo - 2_836 * hi;
            if word < 0 {
                word += 2_147_483_647;
            }
            r[i] = word;
        }
        let mut ring = [0u32; 34];
        let mut state = [0u32; 344];
        for (i, v) in r.iter().take(31).enumerate() {
            state[i] = *v as u32;
        }
        for i in 31..34 {
            state[i] = state[i - 31];
        }
        for i in 34..344 {
            state[i] = state[i - 31].wrapping_add(state[i - 3]);
        }
        ring.copy_from_slice(&state[310..344]);
        CRand { ring, i: 0 }
    }

    /// `rand()`: the next value in `0..=RAND_MAX` (2^31 - 1).
    pub fn rand(&mut self) -> i32 {
        // The ring holds the last 34 values; position `i` is the oldest (r[n-34]).
        let n = self.ring.len();
        let v = self.ring[(self.i + n - 31) % n].wrapping_add(self.ring[(self.i + n - 3) % n]);
        self.ring[self.i] = v;
        self.i = (self.i + 1) % n;
        (v >> 1) as i32
    }
}

#[cfg(test)]
mod tests {
    use super::CRand;

    #[test]
    fn matches_glibc() {
        // glibc: srand(1); rand() x3, srand(7) as sctp_test -r 7 draws its PPIDs.
        let mut r = CRand::new(1);
        assert_eq!(
            [r.rand(), r.rand(), r.rand()],
            [1804289383, 846930886, 1681692777]
        );
        let mut r = CRand::new(7);
        assert_eq!(
            [r.rand(), r.rand(), r.rand()],
            [1045618677, 1863967299, 1272579899]
        );
        let mut a = CRand::new(0);
        let mut b = CRand::new(1);
        for _ in 0..1000 {
            assert_eq!(a.rand(), b.rand());
        }
    }
}
