// The facts the compose rules of issue 12 rest on (image tags, host settings, IP addresses), the
// severities a fixture's markers cannot show, and the new rules on a base file with a production overlay.

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { imageBaseName, imageRepository, isMajorOnlyTag, isMovingReference } from '../../server/src/core/images';
import { INTERNAL_PORTS, namesHostToReach, replaceableIpsIn } from '../../server/src/core/network';
import { FileAccess } from '../../server/src/core/types';

describe('image references', () => {
  it('tells a major-version-only tag from versions, dates and build numbers', () => {
    for (const tag of ['16', 'v2', '16-alpine', '8-jdk-focal']) assert.equal(isMajorOnlyTag(tag), true, tag);
    for (const tag of ['16.4', '1.27.3', '20240101', '1234', 'latest', 'alpine']) assert.equal(isMajorOnlyTag(tag), false, tag);
  });

  it('calls a reference moving when no tag, a channel or a major version decides what is pulled', () => {
    for (const ref of ['nginx', 'nginx:latest', 'nginx:mainline-alpine', 'postgres:16', 'registry:5000/app', 'app:stable']) assert.equal(isMovingReference(ref), true, ref);
    for (const ref of ['nginx:1.27.3', 'postgres:16.4', 'app@sha256:abc', 'registry:5000/app:2.0.1']) assert.equal(isMovingReference(ref), false, ref);
  });

  it('reads the repository without tag or digest, and its last segment', () => {
    assert.equal(imageRepository('registry.example.com:5000/Team/App:1.0@sha256:abc'), 'registry.example.com:5000/team/app');
    assert.equal(imageBaseName('docker.io/library/postgres:16'), 'postgres');
  });
});

describe('host settings and IP addresses', () => {
  it('knows settings that name a host to reach from bind, listen and allow-list settings', () => {
    for (const name of ['DB_HOST', 'DATABASE_URL', 'apiEndpoint', 'KAFKA_BOOTSTRAP_SERVERS', 'mqtt.broker']) assert.equal(namesHostToReach(name), true, name);
    for (const name of ['LISTEN_ADDR', 'BIND_HOST', 'POD_IP', 'TRUSTED_PROXIES', 'NO_PROXY_HOSTS', 'DB_NAME', 'HOST_IP']) assert.equal(namesHostToReach(name), false, name);
  });

  it('finds the replaceable addresses in a list of hosts and URLs', () => {
    assert.deepEqual(replaceableIpsIn('kafka-1:9092,10.0.1.12:9092, https://[2001:db8::1]:443/x'), ['10.0.1.12', '2001:db8::1']);
    assert.deepEqual(replaceableIpsIn('127.0.0.1:6379 0.0.0.0 10.0.0.0/8 cache'), []);
  });

  it('counts SSH among the ports that are never published to everyone', () => assert.equal(INTERNAL_PORTS[22], 'SSH'));
});

describe('severities', () => {
  const findings = (text: string) => analyze({ text, path: '/srv/app/docker-compose.yml', kind: 'compose' }).findings;

  it('a major-version tag is information, "latest" a warning', () => {
    const found = findings('services:\n  db:\n    image: postgres:16\n    restart: always\n  web:\n    image: nginx:latest\n    restart: always\n').filter((f) => f.ruleId === 'compose/image-tag');
    assert.deepEqual(found.map((f) => f.severity), ['information', 'warning']);
  });

  it('restart: "no" is a warning, no restart policy information', () => {
    const found = findings('services:\n  a:\n    image: a:1.0.0\n    restart: "no"\n  b:\n    image: b:1.0.0\n').filter((f) => f.ruleId === 'compose/restart-policy');
    assert.deepEqual(found.map((f) => f.severity), ['warning', 'information']);
  });
});

describe('on a base file with a production overlay', () => {
  const base = 'services:\n  db:\n    image: postgres:16.4\n    restart: always\n    volumes:\n      - db-data:/var/lib/postgresql/data\nvolumes:\n  db-data:\n';
  const access = (overlay: string): FileAccess => {
    const files: Record<string, string> = { '/p/docker-compose.yml': base, '/p/docker-compose.prod.yml': overlay };
    return { readFile: (p) => files[p], exists: (p) => p in files };
  };
  const ids = (overlay: string, file: string) =>
    analyze({ text: access(overlay).readFile(file)!, path: file, files: access(overlay), kind: 'compose' })
      .findings.filter((f) => /data-without-volume|logging-disabled/.test(f.ruleId))
      .map((f) => `${f.ruleId} ${f.severity}`);

  it('judges what production runs: the overlay that drops the volume gets the finding', () => {
    const overlay = 'services:\n  db:\n    volumes: !reset []\n    logging:\n      driver: none\n';
    assert.deepEqual(ids(overlay, '/p/docker-compose.prod.yml').sort(), ['compose/data-without-volume warning', 'compose/logging-disabled warning']);
    // The image line sits in the base: it hears of it at information level, as the engine does for
    // every value that reaches production from a shared file.
    assert.deepEqual(ids(overlay, '/p/docker-compose.yml'), ['compose/data-without-volume information']);
  });

  it('an overlay that keeps the base volume is clean', () => {
    assert.deepEqual(ids('services:\n  db:\n    environment:\n      TZ: UTC\n', '/p/docker-compose.prod.yml'), []);
  });
});
