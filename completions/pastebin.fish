# fish completion for pastebin(1).

function __pastebin_saved_links
    set -l file (set -q XDG_STATE_HOME; and echo $XDG_STATE_HOME; or echo $HOME/.local/state)/pastebin/tokens
    test -r $file; and cut -f1,3 $file | tr '\t' '\n'
end

set -l commands put get shorten delete list gc stats daemon help
complete -c pastebin -f
complete -c pastebin -s s -l server -r -d 'Server URL' -a 'http://127.0.0.1:8077'
complete -c pastebin -l timeout -x -d 'Seconds to wait for the server'
complete -c pastebin -s h -l help -d 'Print usage'
complete -c pastebin -n "not __fish_seen_subcommand_from $commands" -s V -l version -d 'Print the version'

complete -c pastebin -n "not __fish_seen_subcommand_from $commands" -a put -d 'Paste standard input or each FILE'
complete -c pastebin -n "not __fish_seen_subcommand_from $commands" -a get -d 'Print a paste to standard output'
complete -c pastebin -n "not __fish_seen_subcommand_from $commands" -a shorten -d 'Make a short link to URL'
complete -c pastebin -n "not __fish_seen_subcommand_from $commands" -a delete -d 'Delete a paste you created'
complete -c pastebin -n "not __fish_seen_subcommand_from $commands" -a list -d 'List the pastes you made'
complete -c pastebin -n "not __fish_seen_subcommand_from $commands" -a gc -d 'Delete expired pastes now'
complete -c pastebin -n "not __fish_seen_subcommand_from $commands" -a stats -d 'Show monthly visits'
complete -c pastebin -n "not __fish_seen_subcommand_from $commands" -a daemon -d 'Show, start, stop, restart or reload your pasted'
complete -c pastebin -n "not __fish_seen_subcommand_from $commands" -a help -d 'Show usage'

complete -c pastebin -n "__fish_seen_subcommand_from put" -F
complete -c pastebin -n "__fish_seen_subcommand_from put shorten" -s e -l expire -x -d 'Delete after DURATION' -a '30m 1h 2h 1d 7d 2w never'
complete -c pastebin -n "__fish_seen_subcommand_from put" -s b -l burn -d 'Burn after reading: served once'
complete -c pastebin -n "__fish_seen_subcommand_from put shorten" -l qr -d 'Also draw the URL as a QR code'
complete -c pastebin -n "__fish_seen_subcommand_from put" -s E -l encrypt -d 'Encrypt here; the key goes in the URL after #'
complete -c pastebin -n "__fish_seen_subcommand_from put" -l password -d 'With --encrypt, a password is needed too'
complete -c pastebin -n "__fish_seen_subcommand_from put" -s l -l lang -x -a 'sh py js ts c cpp go rs java rb php sql json yaml xml css md diff ini' -d 'The language to highlight as'
complete -c pastebin -n "__fish_seen_subcommand_from put shorten list gc stats" -l json -d 'Print JSON'
complete -c pastebin -n "__fish_seen_subcommand_from get delete stats" -a '(__pastebin_saved_links)' -d 'Saved paste'
complete -c pastebin -n "__fish_seen_subcommand_from delete stats" -l token-file -r -F -d 'File holding the delete token'
complete -c pastebin -n "__fish_seen_subcommand_from delete stats" -s t -l token -x -d 'The delete token (shown to all users; prefer --token-file)'
complete -c pastebin -n "__fish_seen_subcommand_from stats" -s m -l month -x -d 'A month, YYYY-MM'
complete -c pastebin -n "__fish_seen_subcommand_from stats" -s n -l top -x -d 'How many pastes'
complete -c pastebin -n "__fish_seen_subcommand_from daemon" -a 'status start stop restart reload'
complete -c pastebin -n "__fish_seen_subcommand_from daemon" -s d -l data-dir -x -a '(__fish_complete_directories)' -d "The daemon's data directory"
complete -c pastebin -n "__fish_seen_subcommand_from help" -a "$commands"
complete -c pastebin -n "__fish_seen_subcommand_from get" -l json -d 'Print metadata and bytes as JSON'
complete -c pastebin -n "__fish_seen_subcommand_from delete" -l json -d 'Print a JSON line'
complete -c pastebin -n "__fish_seen_subcommand_from daemon" -l json -d 'status as JSON'
