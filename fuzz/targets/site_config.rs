//! AFL++ target: `folio_fuzz::site_config` on each input (persistent mode).

fn main() {
    folio_fuzz::warm_up();
    afl::fuzz!(|data: &[u8]| folio_fuzz::site_config(data));
}
