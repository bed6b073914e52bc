"""`lapor routing train|evaluate|suggest|retrain|list|activate`: the routers from the command line.

    lapor routing train --data FILE.csv --name NAME [--target agency|category|unit] [--agency CODE]
    lapor routing evaluate --data FILE.csv --name NAME        # one JSON line
    lapor routing suggest --name NAME "text"                  # the top 3 with confidences
    lapor routing retrain [--target ...] [--no-seed]          # from the officers' decisions
    lapor routing seed                                        # starting routers of a fresh install
    lapor routing list [--name NAME]
    lapor routing activate --name NAME --version N
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from lapor.accounts.models import Agency
from lapor.core.errors import DomainError
from lapor.routing import datasets, learning, versions
from lapor.routing.evaluation import evaluate
from lapor.routing.models import Target


class Command(BaseCommand):
    help = "Train, evaluate, compare and switch the routing classifiers (category, agency, unit)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)

        train = sub.add_parser("train", help="train a new version of NAME from a CSV (columns text,label)")
        train.add_argument("--data", required=True, help="UTF-8 CSV with a header: text,label[,title,date] or the officers' export")
        train.add_argument("--name", required=True)
        train.add_argument("--target", choices=Target.values, default=Target.AGENCY)
        train.add_argument("--agency", help="agency code: the router belongs to this agency (unit routers)")
        train.add_argument("--min-examples", type=int, default=1, help="leave out labels with fewer examples")
        train.add_argument("--activate", action="store_true", help="make this version the active one")
        train.add_argument("--stem", action="store_true", help="stem words with Sastrawi (if installed)")

        ev = sub.add_parser("evaluate", help="print accuracy, macro_f1, top3, per_s, n of NAME on a CSV as JSON")
        ev.add_argument("--data", required=True)
        ev.add_argument("--name", required=True)
        ev.add_argument("--version", type=int, help="default: the newest version")
        ev.add_argument("--target", choices=Target.values, default=Target.AGENCY, help="label column of an export")

        suggest = sub.add_parser("suggest", help="the top 3 labels of NAME for a text")
        suggest.add_argument("--name", required=True)
        suggest.add_argument("--version", type=int, help="default: the newest version")
        suggest.add_argument("--json", action="store_true")
        suggest.add_argument("text")

        retrain = sub.add_parser("retrain", help="train new versions from the officers' decisions in the database")
        retrain.add_argument("--target", choices=[*Target.values, "all"], default="all")
        retrain.add_argument("--no-seed", action="store_true", help="leave the project's seed corpus out")
        retrain.add_argument("--activate", action="store_true", help="activate the new versions")

        sub.add_parser("seed", help="train the starting routers from the project's seed corpus (where none is active)")

        listing = sub.add_parser("list", help="versions with their figures")
        listing.add_argument("--name")

        activate = sub.add_parser("activate", help="switch the active version")
        activate.add_argument("--name", required=True)
        activate.add_argument("--version", type=int, required=True)

    def handle(self, *args, **options):
        try:
            getattr(self, f"_{options['subcommand']}")(options)
        except DomainError as error:
            raise CommandError(error.message) from None
        except RuntimeError as error:  # e.g. --stem without the Sastrawi package
            raise CommandError(str(error)) from None

    def _agency(self, code: str | None):
        if not code:
            return None
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            raise CommandError(f"Unknown agency code: {code}")
        return agency

    def _train(self, options):
        target = options["target"]
        agency = self._agency(options["agency"])
        if target == Target.UNIT and agency is None:
            raise CommandError("A unit router belongs to one agency: give --agency CODE.")
        data = datasets.read_csv(options["data"], target=target, min_examples=options["min_examples"])
        if data.dropped:
            self.stderr.write(
                f"Left out {sum(data.dropped.values())} rows of {len(data.dropped)} labels with fewer than "
                f"{options['min_examples']} examples."
            )
        row = versions.train(
            data, name=options["name"], target=target, agency=agency, activate=options["activate"] or None,
            stem=options["stem"],
        )
        estimate = row.evaluation.get("training", {})
        self.stdout.write(
            f"{row}: {row.training_size} reports, {row.labels_count} labels"
            f"{' (active)' if row.is_active else ''}; out-of-fold estimate "
            + json.dumps({k: estimate.get(k) for k in ("accuracy", "macro_f1", "top3", "per_s")})
        )

    def _evaluate(self, options):
        row = versions.find(options["name"], options["version"])
        data = datasets.read_csv(options["data"], target=options["target"], training=False)
        figures = evaluate(versions.load(row), data)
        versions.record_evaluation(row, figures, data_name=data.source_name)
        self.stdout.write(json.dumps(figures))

    def _suggest(self, options):
        row = versions.find(options["name"], options["version"])
        suggestions = versions.load(row).suggest(options["text"])
        if options["json"]:
            self.stdout.write(json.dumps([
                {"label": s.label, "confidence": round(s.confidence, 4), "words": list(s.words)} for s in suggestions
            ], ensure_ascii=False))
            return
        for rank, s in enumerate(suggestions, 1):
            words = f"  ({', '.join(s.words)})" if s.words else ""
            self.stdout.write(f"{rank}. {s.label}  {s.confidence:.1%}{words}")

    def _retrain(self, options):
        targets = Target.values if options["target"] == "all" else [options["target"]]
        for row in learning.retrain(targets=targets, with_seed=not options["no_seed"], activate=options["activate"]):
            estimate = row.evaluation.get("training", {})
            self.stdout.write(
                f"{row} ({row.get_target_display()}{', ' + row.agency.code if row.agency_id else ''}): "
                f"{row.training_size} reports, {row.labels_count} labels, accuracy {estimate.get('accuracy')}"
                f"{' (active)' if row.is_active else ''}"
            )

    def _seed(self, options):
        rows = learning.train_seed_routers()
        for row in rows:
            self.stdout.write(f"{row} ({row.target}): {row.training_size} reports, {row.labels_count} labels")
        if not rows:
            self.stdout.write("Every router already has an active version; nothing trained.")

    def _list(self, options):
        for row in versions.versions(options["name"]):
            figures = row.headline
            scope = row.agency.code if row.agency_id else "national"
            self.stdout.write(
                f"{'*' if row.is_active else ' '} {row.name} v{row.version}  {row.target}/{scope}  "
                f"{row.created_at:%Y-%m-%d %H:%M}  n={row.training_size} labels={row.labels_count}  "
                f"accuracy={figures.get('accuracy')} macro_f1={figures.get('macro_f1')} top3={figures.get('top3')}"
            )

    def _activate(self, options):
        row = versions.activate_version(versions.find(options["name"], options["version"]))
        self.stdout.write(f"{row} is now the active {row.target} router")
