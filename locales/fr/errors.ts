/**
 * Every ErrorCode as one plain French sentence (what happened) and the action to take.
 * Placeholders come from ErrorInfo.details plus the copy's own facts: {label} (drive label), {host} (server), {path}, {needed}, {free}.
 */
import type { ErrorCode } from '../../electron/contract/errors.js';

export interface ErrorText {
  sentence: string;
  action: string;
}

export const errors: Record<ErrorCode, ErrorText> = {
  WRONG_PASSPHRASE: { sentence: 'La phrase secrète ou la clé de secours ne correspond pas.', action: 'Vérifiez-la (majuscules, espaces) et réessayez.' },
  SECRET_REQUIRED: { sentence: 'Cette opération a besoin de votre phrase secrète.', action: 'Tapez la phrase secrète ou la clé de secours.' },
  NOT_A_REPOSITORY: { sentence: 'Aucune sauvegarde Rempart n\u2019a été trouvée à cet endroit.', action: 'Choisissez la clé ou le dossier qui contient vos sauvegardes.' },
  REPOSITORY_EXISTS: { sentence: 'Une sauvegarde Rempart existe déjà à cet endroit.', action: 'Utilisez-la pour restaurer, ou choisissez un autre emplacement.' },
  FORMAT_TOO_NEW: { sentence: 'Ces sauvegardes ont été faites par une version plus récente de Rempart.', action: 'Mettez Rempart à jour, puis réessayez.' },
  REPOSITORY_LOCKED: { sentence: 'Une autre sauvegarde est en train d\u2019écrire sur cette copie.', action: 'Patientez quelques minutes puis réessayez.' },
  DATA_CORRUPT: { sentence: 'Une partie de la copie est abîmée : la vérification a échoué.', action: 'Lancez une nouvelle sauvegarde ; si cela se répète, changez de support.' },
  DATA_MISSING: { sentence: 'Des morceaux de la copie ont disparu.', action: 'Lancez une nouvelle sauvegarde complète ; ne supprimez rien sur le support.' },
  SNAPSHOT_NOT_FOUND: { sentence: 'Ce point de sauvegarde n\u2019existe plus.', action: 'Choisissez une autre date.' },
  DRIVE_NOT_PLUGGED: { sentence: 'La clé USB « {label} » n\u2019est pas branchée.', action: 'Branchez la clé « {label} ».' },
  DRIVE_UNPLUGGED: { sentence: 'La clé USB « {label} » a été débranchée pendant la copie.', action: 'Rebranchez la clé « {label} » et laissez-la branchée jusqu\u2019à la fin.' },
  DRIVE_NOT_ENROLLED: { sentence: 'Cette clé USB n\u2019est pas celle choisie pour les sauvegardes.', action: 'Branchez la clé « {label} », ou choisissez cette clé dans les Réglages.' },
  DISK_FULL: { sentence: 'La clé USB « {label} » est pleine.', action: 'Utilisez une clé plus grande, ou gardez moins d\u2019anciennes copies dans les Réglages.' },
  READ_ONLY: { sentence: 'Impossible d\u2019écrire sur « {label} » : le support est protégé en écriture.', action: 'Vérifiez le petit verrou de la clé ou les droits du dossier.' },
  FILE_TOO_LARGE: { sentence: 'Un fichier est trop gros pour cette clé USB (limite de 4 Go).', action: 'Reformatez la clé en exFAT, ou utilisez une autre clé.' },
  NETWORK_UNREACHABLE: { sentence: 'Le serveur {host} ne répond pas.', action: 'Vérifiez la connexion Internet ; Rempart réessaiera tout seul.' },
  NETWORK_STALLED: { sentence: 'La connexion avec {host} est bloquée.', action: 'Vérifiez la connexion Internet ; Rempart réessaiera tout seul.' },
  SERVER_ERROR: { sentence: 'Le serveur {host} a un problème de son côté.', action: 'Réessayez plus tard ; si cela dure, contactez votre hébergeur.' },
  AUTH_FAILED: { sentence: 'Le serveur {host} refuse le mot de passe.', action: 'Mettez à jour le mot de passe du cloud dans les Réglages.' },
  SERVER_NOT_FOUND: { sentence: 'L\u2019adresse du serveur est introuvable.', action: 'Vérifiez l\u2019adresse du cloud dans les Réglages.' },
  QUOTA_EXCEEDED: { sentence: 'Votre espace sur {host} est plein.', action: 'Libérez de la place, prenez plus d\u2019espace, ou gardez moins d\u2019anciennes copies.' },
  TLS_ERROR: { sentence: 'La connexion sécurisée avec {host} n\u2019est pas fiable (certificat).', action: 'Ne continuez pas ; contactez votre hébergeur ou votre informaticien.' },
  INSECURE_URL: { sentence: 'Cette adresse n\u2019est pas sécurisée (http).', action: 'Utilisez une adresse qui commence par https://.' },
  SERVER_UNSUPPORTED: { sentence: 'Ce serveur ne fonctionne pas comme prévu avec Rempart.', action: 'Contactez votre hébergeur ou essayez un autre service WebDAV.' },
  SOURCE_MISSING: { sentence: 'Le dossier « {path} » à protéger est introuvable.', action: 'Vérifiez qu\u2019il existe, ou retirez-le dans les Réglages.' },
  TARGET_NOT_EMPTY: { sentence: 'Le dossier choisi contient déjà des fichiers.', action: 'Choisissez un dossier vide.' },
  PATH_ESCAPE: { sentence: 'Un fichier de la sauvegarde voulait s\u2019écrire hors du dossier choisi ; il a été ignoré.', action: 'Rien à faire : vos fichiers sont protégés.' },
  ALREADY_RUNNING: { sentence: 'Une sauvegarde est déjà en cours.', action: 'Patientez jusqu\u2019à la fin.' },
  CANCELLED: { sentence: 'La copie a été annulée.', action: 'Relancez-la quand vous voulez avec « Sauvegarder maintenant ».' },
  INTERRUPTED: { sentence: 'La copie a été interrompue (arrêt de l\u2019ordinateur ou coupure).', action: 'Elle reprendra à la prochaine sauvegarde ; rien n\u2019est perdu.' },
  NOT_CONFIGURED: { sentence: 'Cette copie n\u2019est pas encore réglée.', action: 'Réglez-la dans les Réglages.' },
  INVALID_CONFIG: { sentence: 'Un réglage n\u2019est pas valable.', action: 'Vérifiez les Réglages.' },
  INVALID_INPUT: { sentence: 'Une information saisie n\u2019est pas valable.', action: 'Vérifiez ce que vous avez tapé.' },
  UNKNOWN: { sentence: 'Un problème inattendu est survenu.', action: 'Réessayez ; si cela se répète, contactez votre informaticien avec le détail ci-dessous.' },
};
