/**
 * The two plain-text files at the repository root that tell whoever finds the drive what it is and how to restore,
 * in French (LISEZ-MOI-RESTAURATION.txt) and English (README-RESTORE.txt). These are the only human-facing
 * texts the engine writes: they must be readable without Rempart.
 */
import type { BlobStore } from './blob-store.js';

export const README_FR = 'LISEZ-MOI-RESTAURATION.txt';
export const README_EN = 'README-RESTORE.txt';

export function readmeFr(repoId: string, recipient: string): string {
  return `SAUVEGARDE REMPART — À NE PAS SUPPRIMER
=======================================

Ce dossier contient une sauvegarde chiffrée faite par le logiciel Rempart.
Identifiant du dépôt : ${repoId}
Clé publique (destinataire age) : ${recipient}

Tout est chiffré : sans la phrase secrète ou la clé de secours, personne ne peut lire ces fichiers.
Ne modifiez, ne renommez et ne supprimez aucun fichier de ce dossier.

RESTAURER AVEC REMPART (le plus simple)
1. Installez Rempart sur n'importe quel ordinateur.
2. Choisissez « Restaurer depuis une sauvegarde existante » et indiquez ce dossier.
3. Tapez la phrase secrète, ou la clé de secours (elle commence par AGE-SECRET-KEY-1…)
   imprimée sur la fiche de secours remise lors de l'installation.
4. Choisissez la date de la sauvegarde et le dossier où remettre les fichiers.

En ligne de commande : REMPART_RECOVERY_KEY=AGE-SECRET-KEY-1… rempart restore --repo CE_DOSSIER latest --target DOSSIER

RESTAURER SANS REMPART (informaticien)
Le format est ouvert et documenté (docs/FORMAT.md du code source de Rempart). Il suffit des outils
libres « age », « unzip », « brotli », « zstd », « gzip » et « jq » :
1. Enregistrez la clé de secours dans un fichier, par exemple cle.txt.
   Sans la clé mais avec la phrase secrète : age -d -o cle.txt keys/identity.age (age demande la phrase).
2. Liste des sauvegardes : les fichiers snapshots/*.age. Pour lire la plus récente :
     age -d -i cle.txt snapshots/<nom>.age | gunzip | jq .
   Chaque fichier y figure avec la liste ordonnée de ses blocs (« blobs »).
3. Chaque bloc se trouve dans un fichier data/xx/<empreinte>.pack : c'est une archive ZIP chiffrée avec age.
     age -d -i cle.txt data/xx/<empreinte>.pack > paquet.zip && unzip paquet.zip
   Chaque entrée s'appelle <bloc>.raw (tel quel), <bloc>.br (à décompresser avec « brotli -d »)
   ou <bloc>.zst (à décompresser avec « zstd -d »).
4. Mettez bout à bout les blocs d'un fichier, dans l'ordre du manifeste : c'est le fichier d'origine.
`;
}

export function readmeEn(repoId: string, recipient: string): string {
  return `REMPART BACKUP — DO NOT DELETE
==============================

This folder holds an encrypted backup made by the Rempart software.
Repository id: ${repoId}
Public key (age recipient): ${recipient}

Everything is encrypted: without the passphrase or the recovery key nobody can read these files.
Do not modify, rename or delete any file in this folder.

RESTORING WITH REMPART (easiest)
1. Install Rempart on any computer.
2. Choose "Restore from an existing backup" and point it at this folder.
3. Type the passphrase, or the recovery key (it starts with AGE-SECRET-KEY-1…) printed on the recovery sheet.
4. Pick the backup date and the folder to restore into.

Command line: REMPART_RECOVERY_KEY=AGE-SECRET-KEY-1… rempart restore --repo THIS_FOLDER latest --target FOLDER

RESTORING WITHOUT REMPART (IT staff)
The format is open and documented (docs/FORMAT.md in Rempart's source code). Only the free tools
"age", "unzip", "brotli", "zstd", "gzip" and "jq" are needed:
1. Save the recovery key in a file, e.g. key.txt.
   No key but the passphrase: age -d -o key.txt keys/identity.age (age asks for the passphrase).
2. Backups are the snapshots/*.age files. To read the newest one:
     age -d -i key.txt snapshots/<name>.age | gunzip | jq .
   It lists every file with the ordered list of its blobs.
3. Each blob lives in a data/xx/<hash>.pack file: a ZIP archive encrypted with age.
     age -d -i key.txt data/xx/<hash>.pack > pack.zip && unzip pack.zip
   Entries are named <blob>.raw (as is), <blob>.br (decompress with "brotli -d")
   or <blob>.zst (decompress with "zstd -d").
4. Concatenate a file's blobs in manifest order: that is the original file.
`;
}

/** Writes (or rewrites) both restore notes. */
export async function writeRestoreReadmes(store: BlobStore, repoId: string, recipient: string): Promise<void> {
  for (const [path, text] of [
    [README_FR, readmeFr(repoId, recipient)],
    [README_EN, readmeEn(repoId, recipient)],
  ] as const) {
    // CRLF and a UTF-8 byte order mark: opens with accents intact in any Windows editor.
    const buf = Buffer.from(`\ufeff${text.replace(/\n/g, '\r\n')}`, 'utf8');
    await store.write(path, buf, buf.length, { overwrite: true });
  }
}
