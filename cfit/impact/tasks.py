"""Background work: recomputing every report's figures under one FactorSet."""

from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone

from .models import Recompute, RecomputeStatus, StoredReportImpact
from .selectors import impact_by

BATCH = 200  # reports per step: one grouped query each, progress after each step


@task()
def recompute_figures(*, recompute_id: int) -> None:
    from cfit.monitoring.models import PurchaseReport, ReportSummary

    recompute = Recompute.objects.select_related("factorset").get(pk=recompute_id)
    report_ids = list(
        PurchaseReport.objects.order_by("pk").values_list("pk", flat=True)
    )
    Recompute.objects.filter(pk=recompute_id).update(
        status=RecomputeStatus.RUNNING, reports_total=len(report_ids), reports_done=0
    )
    try:
        for start in range(0, len(report_ids), BATCH):
            batch = report_ids[start : start + BATCH]
            result = impact_by(
                ReportSummary.objects.filter(report_id__in=batch),
                keys=["report"],
                factorset=recompute.factorset,
            )
            found = {group.key["report"]: group.impact for group in result.groups}
            with transaction.atomic():
                StoredReportImpact.objects.filter(
                    factorset=recompute.factorset, report_id__in=batch
                ).delete()
                StoredReportImpact.objects.bulk_create(
                    [
                        StoredReportImpact(
                            factorset=recompute.factorset,
                            report_id=report_id,
                            devices=impact.devices,
                            figures=impact.as_dict(),
                            devices_lifetime_assumed=impact.devices_lifetime_assumed,
                            devices_country_fallback=impact.devices_country_fallback,
                        )
                        for report_id, impact in found.items()
                    ]
                )
            Recompute.objects.filter(pk=recompute_id).update(
                reports_done=F("reports_done") + len(batch)
            )
    except Exception as error:
        Recompute.objects.filter(pk=recompute_id).update(
            status=RecomputeStatus.FAILED, error=str(error), finished_at=timezone.now()
        )
        raise
    Recompute.objects.filter(pk=recompute_id).update(
        status=RecomputeStatus.DONE, finished_at=timezone.now()
    )
