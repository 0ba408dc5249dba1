// Gate is an HTTP service that gates a feature — a new checkout — behind a
// flag served through the OpenFeature Go SDK by the flags provider, and that
// picks up edits of its flag file without a restart.
//
//	go run ./examples/gate                       # serves on localhost:8080
//	curl 'localhost:8080/checkout?user=alice'    # {"user":"alice","checkout":"v1",...}
//	curl 'localhost:8080/healthz'                # is the flag file in force?
//
// Edit examples/gate/flags.yaml while it runs — raise the weight of "on" from
// 10 to 50 — and within one poll (-poll, 5s by default) more users get the
// new checkout; those who had it keep it. Save a broken file instead and the
// edit is rejected: /healthz reports why, and the last good flags keep
// serving.
//
// The server registers the provider with an OpenFeature API instance of its
// own (isolated.NewAPI), not the SDK's global one, so several servers, or
// tests, can run in one process. newServer and its handler hold everything;
// main only parses flags and listens. server_test.go drives it over HTTP
// with httptest, decides when the file is read through the watcher's
// injectable tick channel and learns that a read is over from its Polled
// callback, so it never sleeps.
package main
