# Sentinel rewrites its configuration file, so it is written afresh on each start into an emptyDir.
set -eu
. /scripts/find-master.sh
master=$(find_master)
cat > /sentinel/sentinel.conf <<CONF
port 26379
sentinel resolve-hostnames yes
sentinel announce-hostnames yes
sentinel announce-ip $self
sentinel monitor restaurant $master 6379 2
sentinel down-after-milliseconds restaurant 5000
sentinel failover-timeout restaurant 60000
sentinel parallel-syncs restaurant 1
CONF
exec redis-sentinel /sentinel/sentinel.conf
