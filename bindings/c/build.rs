//! Generates `include/epgdump.h` from `src/lib.rs` with cbindgen (a build-dependency, so its
//! version is pinned by Cargo.lock and the header is the same on every machine). The file is
//! written only when its content changes; CI checks that a build leaves the committed header
//! unchanged (`git diff --exit-code`).

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let crate_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    println!("cargo:rerun-if-changed=src/lib.rs");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))?;
    let bindings = cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()?;
    let mut header = Vec::new();
    bindings.write(&mut header);
    let path = crate_dir.join("include").join("epgdump.h");
    if std::fs::read(&path).ok().as_deref() != Some(header.as_slice()) {
        std::fs::create_dir_all(crate_dir.join("include"))?;
        std::fs::write(&path, header)?;
    }
    Ok(())
}
