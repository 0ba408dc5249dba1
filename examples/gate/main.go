package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/glidepath/glidepath/flags"
)

func main() {
	addr := flag.String("addr", "localhost:8080", "address to listen on")
	file := flag.String("flags", "examples/gate/flags.yaml", "flag file to serve and watch")
	key := flag.String("flag", "checkout-v2", "boolean flag that gates the new checkout")
	poll := flag.Duration("poll", flags.DefaultPollInterval, "how often to read the flag file")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := serve(ctx, *addr, config{FlagFile: *file, Flag: *key, Interval: *poll}); err != nil {
		log.Fatal(err)
	}
}

// serve runs the server until ctx is done.
func serve(ctx context.Context, addr string, cfg config) error {
	s, err := newServer(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close(context.Background())
	hs := &http.Server{Addr: addr, Handler: s.handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(shutdownCtx)
	}()
	fmt.Printf("gate: serving %s on http://%s/checkout?user=alice (edit %s to change exposure)\n", cfg.Flag, addr, cfg.FlagFile)
	if err := hs.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
