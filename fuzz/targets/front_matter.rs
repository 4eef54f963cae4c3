//! AFL++ target: `folio_fuzz::front_matter` on each input (persistent mode).

fn main() {
    folio_fuzz::warm_up();
    afl::fuzz!(|data: &[u8]| folio_fuzz::front_matter(data));
}
