# bash completion for pastebin(1) and pasted(8). Installed as
# completions/pastebin and completions/pasted in bash-completion's directory;
# needs nothing from bash-completion itself.

# The links of pastes you made, from the token file (see pastebin(1), FILES).
# Their URLs are not offered: bash splits words at ':'.
_pastebin_saved_links() {
  local file=${XDG_STATE_HOME:-$HOME/.local/state}/pastebin/tokens
  [[ -r $file ]] && cut -f1 "$file"
}

_pastebin() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  local commands="put get shorten delete list gc stats daemon help"
  local i cmd= sub=
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
      -s | --server | --timeout | -e | --expire | -t | --token | --token-file | -m | --month | -n | --top | -d | --data-dir | -l | --lang)
        ((i++)) ;;
      -*) ;;
      *)
        if [[ -z $cmd ]]; then
          cmd=${COMP_WORDS[i]}
        elif [[ -z $sub ]]; then
          sub=${COMP_WORDS[i]}
        fi
        ;;
    esac
  done

  case $prev in
    -e | --expire)
      COMPREPLY=($(compgen -W "30m 1h 2h 1d 7d 2w never" -- "$cur"))
      return ;;
    -d | --data-dir)
      compopt -o filenames 2>/dev/null
      COMPREPLY=($(compgen -d -- "$cur"))
      return ;;
    -l | --lang)
      COMPREPLY=($(compgen -W "sh py js ts c cpp go rs java rb php sql json yaml xml css md diff ini" -- "$cur"))
      return ;;
    --token-file)
      compopt -o filenames 2>/dev/null
      COMPREPLY=($(compgen -f -- "$cur"))
      return ;;
    -s | --server | --timeout | -t | --token | -m | --month | -n | --top)
      return ;;
  esac

  local options=
  case $cmd in
    "") options="--server --timeout --help --version" ;;
    put) options="--expire --lang --burn --encrypt --password --qr --json --help" ;;
    get) options="--json --help" ;;
    shorten) options="--expire --qr --json --help" ;;
    delete) options="--token-file --token --json --help" ;;
    list | gc) options="--json --help" ;;
    stats) options="--month --top --token-file --token --json --help" ;;
    daemon) options="--data-dir --json --help" ;;
  esac
  # pastebin's own options may follow the command too.
  [[ -n $cmd && $cmd != help ]] && options+=" --server --timeout"
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$options" -- "$cur"))
    return
  fi
  case $cmd in
    "") COMPREPLY=($(compgen -W "$commands" -- "$cur")) ;;
    help) [[ -z $sub ]] && COMPREPLY=($(compgen -W "${commands% help}" -- "$cur")) ;;
    put)
      compopt -o filenames 2>/dev/null
      local IFS=$'\n'
      COMPREPLY=($(compgen -f -- "$cur"))
      ;;
    get | delete | stats)
      [[ -z $sub ]] && COMPREPLY=($(compgen -W "$(_pastebin_saved_links)" -- "$cur"))
      ;;
    daemon) [[ -z $sub ]] && COMPREPLY=($(compgen -W "status start stop restart reload" -- "$cur")) ;;
  esac
}

_pasted() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  local i action=
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
      backup | restore | export | import) action=${COMP_WORDS[i]} ;;
    esac
  done
  case $prev in
    --from) COMPREPLY=($(compgen -W "pastebin haste wastebin" -- "$cur")); return ;;
    --config | --access-log | --admin-token-file | --tls-cert | --tls-key | --keys)
      compopt -o filenames 2>/dev/null
      local IFS=$'\n'
      COMPREPLY=($(compgen -f -- "$cur"))
      return ;;
    --data-dir)
      compopt -o filenames 2>/dev/null
      COMPREPLY=($(compgen -d -- "$cur"))
      return ;;
    --store) COMPREPLY=($(compgen -W "sqlite postgres" -- "$cur")); return ;;
    --admin-loopback) COMPREPLY=($(compgen -W "yes no" -- "$cur")); return ;;
    --log-level) COMPREPLY=($(compgen -W "error warn info debug" -- "$cur")); return ;;
    --default-expiry | --max-expiry)
      COMPREPLY=($(compgen -W "30m 1h 2h 1d 7d 2w never" -- "$cur"))
      return ;;
    --listen | --public-url | --max-paste-bytes | --threads | --max-connections | \
      --request-timeout | --min-upload-rate | --min-download-rate | --max-upload-memory | --max-output-memory | \
      --keepalive-timeout | --cache-bytes | --max-age | --inline-max-bytes | --wal-limit | --admin-token | \
      --postgres-url | --postgres-read-url | --postgres-timeout | --node-name | --rate-limit | --rate-limit-burst | \
      --rate-limit-ipv6-prefix | --miss-limit | --miss-limit-burst | --link-length | \
      --trusted-proxies | --tcp-listen | --tcp-idle-timeout)
      return ;;
  esac
  if [[ $cur != -* ]]; then
    # The action first (backup, restore, export, import), then its path.
    if [[ -z $action ]]; then
      COMPREPLY=($(compgen -W "backup restore export import" -- "$cur"))
    else
      compopt -o filenames 2>/dev/null
      local IFS=$'\n'
      COMPREPLY=($(compgen -f -- "$cur"))
    fi
    return
  fi
  [[ $action == import ]] && COMPREPLY=($(compgen -W "--from --keys" -- "$cur"))
  COMPREPLY+=($(compgen -W "--help --version --config --listen --local-socket --data-dir --public-url
    --max-paste-bytes --threads --max-connections --request-timeout --min-upload-rate
    --min-download-rate
    --max-upload-memory --max-output-memory --keepalive-timeout --cache-bytes --max-age
    --inline-max-bytes --wal-limit --default-expiry --max-expiry --admin-token --admin-token-file
    --admin-loopback --access-log --store --postgres-url --postgres-read-url --postgres-timeout --node-name
    --rate-limit --rate-limit-burst --rate-limit-ipv6-prefix --miss-limit --miss-limit-burst
    --link-length --trusted-proxies --tcp-listen --tcp-idle-timeout
    --tls-cert --tls-key --log-level" -- "$cur"))
}

complete -F _pastebin pastebin
complete -F _pasted pasted
