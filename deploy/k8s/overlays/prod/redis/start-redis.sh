# A pod starts as a replica of the master the Sentinels know, so that a restarted old master does not come
# back as a second master.
set -eu
. /scripts/find-master.sh
master=$(find_master)
if [ "$master" = "$self" ]; then
  exec redis-server --appendonly yes --dir /data --replica-announce-ip "$self"
fi
exec redis-server --appendonly yes --dir /data --replica-announce-ip "$self" --replicaof "$master" 6379
