package main

import (
	"bufio"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/spf13/cobra"
	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/auth"
)

func init() { register(newUserCmd) }

// readPassword reads a password from the first line of standard input, so
// that it never appears in the process list or shell history.
func (a *App) readPassword() (string, error) {
	fmt.Fprint(a.Stderr, "password (read from standard input): ")
	line, err := bufio.NewReader(a.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", Usagef("no password on standard input")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func newUserCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{Use: "user", Short: "Manage users (local administration: needs access to the data directory)"}
	var role string
	add := &cobra.Command{
		Use:   "add USERNAME --role viewer|analyst|reviewer|admin",
		Short: "Add a user; the password is read from standard input",
		Args:  cobra.ExactArgs(1),
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			if !vigil.Role(role).Valid() {
				return Usagef("--role: want viewer, analyst, reviewer or admin, got %q", role)
			}
			name := strings.TrimSpace(args[0])
			if !validUsername(name) {
				return Usagef("username %q: 1-64 letters, digits and . _ - @ +", args[0])
			}
			pw, err := a.readPassword()
			if err != nil {
				return err
			}
			hash, err := auth.HashPassword(pw)
			if err != nil {
				return err
			}
			db, _, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			u := &vigil.User{Username: name, Role: vigil.Role(role), PasswordHash: hash}
			if err := db.CreateUser(cmd.Context(), u); err != nil {
				return err
			}
			if err := db.AppendAudit(cmd.Context(), &vigil.AuditEntry{Actor: actor(), Action: "create", Entity: "user", EntityID: u.ID, New: fmt.Sprintf(`{"username":%q,"role":%q}`, u.Username, u.Role)}); err != nil {
				return err
			}
			a.Printf("\nadded user %s (%s)\n", u.Username, u.Role)
			return nil
		}),
	}
	add.Flags().StringVar(&role, "role", "", "viewer, analyst, reviewer or admin")
	add.MarkFlagRequired("role")

	var asJSON bool
	list := &cobra.Command{
		Use: "list", Short: "List users", Args: cobra.NoArgs,
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			db, _, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			users, err := db.FindUsers(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				return a.JSON(map[string]any{"users": users})
			}
			tw := tabwriter.NewWriter(a.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tUSERNAME\tROLE\tDISABLED")
			for _, u := range users {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%v\n", u.ID, u.Username, u.Role, u.Disabled)
			}
			return tw.Flush()
		}),
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print JSON")

	passwd := &cobra.Command{
		Use: "passwd USERNAME", Short: "Set a user's password (read from standard input); clears a lockout", Args: cobra.ExactArgs(1),
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			db, _, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			u, err := db.FindUserByName(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			pw, err := a.readPassword()
			if err != nil {
				return err
			}
			if u.PasswordHash, err = auth.HashPassword(pw); err != nil {
				return err
			}
			u.FailedLogins = 0
			u.LockedUntil = time.Time{}
			if err := db.UpdateUser(cmd.Context(), u); err != nil {
				return err
			}
			if err := db.AppendAudit(cmd.Context(), &vigil.AuditEntry{Actor: actor(), Action: "passwd", Entity: "user", EntityID: u.ID}); err != nil {
				return err
			}
			a.Printf("\npassword changed for %s\n", u.Username)
			return nil
		}),
	}

	var tokenName string
	token := &cobra.Command{
		Use: "token USERNAME --name NAME", Short: "Issue an API token for a user (printed once; only its hash is stored)", Args: cobra.ExactArgs(1),
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			db, _, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			u, err := db.FindUserByName(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			tok, t, err := (&auth.Authenticator{Users: db}).IssueAPIToken(cmd.Context(), u, tokenName)
			if err != nil {
				return err
			}
			if err := db.AppendAudit(cmd.Context(), &vigil.AuditEntry{Actor: actor(), Action: "token", Entity: "user", EntityID: u.ID, New: fmt.Sprintf(`{"token_id":%d,"name":%q}`, t.ID, t.Name)}); err != nil {
				return err
			}
			a.Printf("%s\n", tok)
			fmt.Fprintf(a.Stderr, "API token %d for %s; use it as 'Authorization: Bearer TOKEN'. Revoke with 'vigil user revoke %d'.\n", t.ID, u.Username, t.ID)
			return nil
		}),
	}
	token.Flags().StringVar(&tokenName, "name", "api", "what the token is for")

	revoke := &cobra.Command{
		Use: "revoke TOKEN-ID", Short: "Revoke an API token", Args: cobra.ExactArgs(1),
		RunE: RunE(func(cmd *cobra.Command, args []string) error {
			var id int64
			if _, err := fmt.Sscan(args[0], &id); err != nil {
				return Usagef("token id %q: want a number", args[0])
			}
			db, _, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			if err := db.RevokeAPIToken(cmd.Context(), id); err != nil {
				return err
			}
			if err := db.AppendAudit(cmd.Context(), &vigil.AuditEntry{Actor: actor(), Action: "revoke", Entity: "api_token", EntityID: id}); err != nil {
				return err
			}
			a.Printf("revoked API token %d\n", id)
			return nil
		}),
	}
	cmd.AddCommand(add, list, passwd, token, revoke)
	return cmd
}

// validUsername: 1-64 bytes of letters, digits and . _ - @ + (no spaces,
// slashes, markup or control characters).
func validUsername(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("._-@+", r) {
			return false
		}
	}
	return true
}
