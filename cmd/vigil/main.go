// Command vigil is the casualty-recording system's command-line interface.
// This package only wires the other packages together.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

// Exit codes used by every command.
const (
	exitOK    = 0
	exitJob   = 1 // the job failed
	exitUsage = 2 // bad usage
)

// usageError marks an error as bad usage (exit 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// Usagef returns a usage error.
func Usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// jobError marks an error returned by a command's work (exit 1); any error
// cobra returns that is not one (flags, argument counts, unknown commands)
// is bad usage.
type jobError struct{ err error }

func (e jobError) Error() string { return e.err.Error() }
func (e jobError) Unwrap() error { return e.err }

// commands registered by the files of this package, one per command group.
var commands []func(*App) *cobra.Command

func register(f func(*App) *cobra.Command) { commands = append(commands, f) }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command line and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	app := &App{Stdin: stdin, Stdout: stdout, Stderr: stderr}
	root := newRoot(app)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	app.Close()
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(stderr, "vigil:", errMessage(err))
	var ue usageError
	var je jobError
	switch {
	case errors.As(err, &ue):
		return exitUsage
	case errors.As(err, &je):
		return exitJob
	default:
		fmt.Fprintln(stderr, "Run 'vigil --help' for usage.")
		return exitUsage
	}
}

func newRoot(app *App) *cobra.Command {
	root := &cobra.Command{
		Use:           "vigil",
		Short:         "vigil records casualties of armed conflict from documents, with their sources",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			return app.setup()
		},
	}
	root.PersistentFlags().StringVar(&app.DataDir, "data", "", "directory of the store (env VIGIL_DATA, default ./vigil-data)")
	app.storeFlags(root.PersistentFlags())
	root.PersistentFlags().StringVar(&app.LogLevel, "log-level", "info", "log level: debug, info, warn, error")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	for _, f := range commands {
		root.AddCommand(f(app))
	}
	return root
}

// RunE adapts a command body so that its errors count as job failures,
// unless it returns a usage error itself.
func RunE(f func(cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		err := f(cmd, args)
		if err == nil {
			return nil
		}
		var ue usageError
		if errors.As(err, &ue) {
			return err
		}
		return jobError{err}
	}
}

func errMessage(err error) string {
	var ue usageError
	if errors.As(err, &ue) {
		return ue.err.Error()
	}
	return err.Error()
}

var _ = slog.LevelInfo
