#!/bin/sh
# Run before every kiosk start (ExecStartPre in rvm-kiosk.service), in the kiosk user's X session:
#   - screen saver, blanking and DPMS off (the app also holds a display-sleep blocker, but X blanks on its own);
#   - optional rotation of the kiosk's output (portrait screens) and mapping of the touchscreen onto it.
# Settings come from ~/.config/rvm-kiosk/display.env (EnvironmentFile= of the unit), all optional:
#   RVM_DISPLAY_OUTPUT=HDMI-0        the output to rotate, as `xrandr --query` names it (DP-0, HDMI-0, …)
#   RVM_DISPLAY_ROTATE=left          normal | left | right | inverted  (left/right = portrait)
#   RVM_TOUCH_DEVICE="ILITEK ILITEK-TP"   the touchscreen as `xinput list --name-only` names it
# Each step that fails is reported and skipped; the kiosk starts either way.
export DISPLAY="${DISPLAY:-:0}"
status=0

if command -v xset >/dev/null 2>&1; then
  xset s off -dpms s noblank || { echo "display-setup: xset failed on DISPLAY=$DISPLAY" >&2; status=1; }
else
  echo "display-setup: xset not installed (apt-get install x11-xserver-utils)" >&2; status=1
fi

if [ -n "${RVM_DISPLAY_ROTATE:-}" ]; then
  if [ -z "${RVM_DISPLAY_OUTPUT:-}" ]; then
    echo "display-setup: RVM_DISPLAY_ROTATE needs RVM_DISPLAY_OUTPUT (see xrandr --query)" >&2; status=1
  else
    xrandr --output "$RVM_DISPLAY_OUTPUT" --rotate "$RVM_DISPLAY_ROTATE" || { echo "display-setup: xrandr could not rotate $RVM_DISPLAY_OUTPUT" >&2; status=1; }
  fi
fi

if [ -n "${RVM_TOUCH_DEVICE:-}" ]; then
  if [ -z "${RVM_DISPLAY_OUTPUT:-}" ]; then
    echo "display-setup: RVM_TOUCH_DEVICE needs RVM_DISPLAY_OUTPUT" >&2; status=1
  else
    # Maps touches to the (rotated) output, so a tap lands where the finger is.
    xinput map-to-output "$RVM_TOUCH_DEVICE" "$RVM_DISPLAY_OUTPUT" || { echo "display-setup: xinput could not map \"$RVM_TOUCH_DEVICE\" to $RVM_DISPLAY_OUTPUT (xinput list --name-only)" >&2; status=1; }
  fi
fi
exit $status
