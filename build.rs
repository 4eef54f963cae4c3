// The theme in templates/ and static/ is embedded with include_dir!, which cannot tell Cargo
// to rebuild when those files change; this does.
fn main() {
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=static");
}
