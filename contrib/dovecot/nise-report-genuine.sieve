# A mail moved out of Junk: the user says it is genuine. Deleting it (into
# Trash) says nothing.
require ["vnd.dovecot.pipe", "copy", "imapsieve", "environment", "variables"];

if environment :matches "imap.mailbox" "*" {
  set "mailbox" "${1}";
}
if string "${mailbox}" "Trash" {
  stop;
}
if environment :matches "imap.user" "*" {
  set "username" "${1}";
}
pipe :copy "nise-learn-genuine" [ "${username}" ];
