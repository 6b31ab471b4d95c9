# A mail moved into Junk: the user says it is phishing (or spam nise missed).
require ["vnd.dovecot.pipe", "copy", "imapsieve", "environment", "variables"];

if environment :matches "imap.user" "*" {
  set "username" "${1}";
}
pipe :copy "nise-learn-phishing" [ "${username}" ];
