package main

import (
	"context"
	"time"

	"github.com/spf13/cobra"
	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/auth"
	vhttp "github.com/vigil-rec/vigil/http"
	"github.com/vigil-rec/vigil/review"
)

func init() { register(newServeCmd) }

// serveHooks let other command files add routes to the server.
var serveHooks []func(a *App, s *vhttp.Server) error

func newServeCmd(a *App) *cobra.Command {
	var addr string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Start the HTTP server (JSON API, health endpoint); stops gracefully on SIGTERM or Ctrl-C",
		Args:  cobra.NoArgs,
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			db, blobs, err := a.Store(ctx)
			if err != nil {
				return err
			}
			s := vhttp.NewServer(db, db, blobs, a.Log)
			s.Incidents = &review.Service{Store: db, Reconcile: reconciler}
			s.Auth = &auth.Authenticator{Users: db}
			users, err := db.FindUsers(ctx)
			if err != nil {
				return err
			}
			if len(users) == 0 {
				s.Anonymous = &vigil.User{Username: "local (no users yet)", Role: vigil.RoleViewer}
				a.Log.Warn("no users in this store: anyone who can reach the server may read it; add users with 'vigil user add' to require log-in (the public then sees published incidents only)")
			}
			for _, h := range serveHooks {
				if err := h(a, s); err != nil {
					return err
				}
			}
			if err := s.Open(addr); err != nil {
				return err
			}
			a.Log.Info("vigil serving", "addr", "http://"+s.Addr(), "data", a.DataDir)
			<-ctx.Done()
			a.Log.Info("shutting down")
			sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			return s.Close(sctx)
		}),
	}
	cmd.Flags().StringVar(&addr, "addr", envOr("VIGIL_ADDR", "127.0.0.1:8080"), "address to listen on (env VIGIL_ADDR)")
	return cmd
}
