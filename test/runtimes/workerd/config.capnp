# workerd configuration of the runtime test's Worker (test/runtimes/workerd). The test bundles
# worker.mjs with esbuild into out/ and overrides the listening address on the command line:
#   workerd serve config.capnp --socket-addr http=127.0.0.1:<port>
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:8787", http = (), service = "main") ],
);

const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "out/worker.js"),
    (name = "gluon_wasm_bg.wasm", wasm = embed "out/gluon_wasm_bg.wasm"),
    (name = "model.params", data = embed "out/model.params"),
  ],
  compatibilityDate = "2025-06-01",
);
