# The options of command one's render of the sample song (scripts/demo.sh), in one place:
# scripts/gallery.sh renders the README's demo frames with them too. Sourced, not run.
# shellcheck disable=SC2034  # used by the scripts that source this
DEMO_ARGS=(--title "Muldjord — Chaos God" --prompt "metal intense")
