//! AFL++ target: `folio_fuzz::permalink` on each input (persistent mode).

fn main() {
    folio_fuzz::warm_up();
    afl::fuzz!(|data: &[u8]| folio_fuzz::permalink(data));
}
