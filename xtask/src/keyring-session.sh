# Run inside `dbus-run-session -- sh -c "$(this script)" program args…`: starts a gnome-keyring
# for this D-Bus session only, unlocks (and so creates) its login keyring with an empty
# password (`echo` gives it a newline; zero bytes would create none), waits until it serves
# org.freedesktop.secrets, runs the program, then stops the daemon.
# The daemon runs in the foreground under this shell: a daemonized one outlives its session
# (seen here), and a later session on the same XDG_RUNTIME_DIR would unlock that orphan through
# its control socket while its own bus starts a locked keyring, whose writes wait for a prompt.
echo | gnome-keyring-daemon --foreground --unlock --components=secrets \
  >/dev/null 2>"$XDG_RUNTIME_DIR/keyring-daemon.log" &
daemon=$!
tries=0
until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
  org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true; do
  tries=$((tries + 1))
  if [ "$tries" -gt 400 ] || ! kill -0 "$daemon" 2>/dev/null; then
    cat "$XDG_RUNTIME_DIR/keyring-daemon.log" >&2
    echo "the test keyring did not start" >&2
    exit 1
  fi
  sleep 0.05
done
"$0" "$@"
status=$?
kill "$daemon" 2>/dev/null
wait "$daemon" 2>/dev/null
exit "$status"
