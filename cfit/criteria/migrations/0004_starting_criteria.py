"""The starting content of the criteria base (shared/reference/criteria-base.md).

Thirty-nine criteria for laptops and smartphones, drawn from the EU GPP criteria of 2021,
ecolabels and common practice. Each becomes a criterion with one approved version 1.
Tender texts are written by the platform team in plain English; {name} marks a parameter
that a procurer sets in the tender builder within the stated range. The EU GPP
identifiers are kept as source_reference for the secretariat to check.

Ranges the reference leaves open (BATT-04, ENER-02, CLIM-02) are set here to ranges the
secretariat can change in a new version.
"""

import datetime

from django.db import migrations

APPROVED_AT = datetime.datetime(2026, 11, 28, tzinfo=datetime.UTC)
EPEAT = ["epeat-bronze", "epeat-silver", "epeat-gold"]

# code, title, product groups (L laptop, S smartphone), category, kind, level,
# refurbished lots only, tender text, rationale, verification, ecolabels, source,
# source reference, parameters (name, label, unit, type, default, min, max, choices)
CRITERIA = [
    dict(
        code="LIFE-01",
        title="Manufacturer's warranty, battery included",
        groups="LS", category="lifetime", kind="technical_specification", level="base",
        text="The devices come with the manufacturer's warranty of at least {years} years from delivery. The warranty covers the whole device, including the battery, and the repair or replacement of a faulty device at no cost to the contracting authority.",
        rationale="A long warranty makes the manufacturer answer for durability and keeps devices in use for longer.",
        verification="The warranty terms, showing the period and that the battery is covered.",
        ecolabels=[], source="eu_gpp_2021", ref="EU GPP TS3",
        params=[("years", "Warranty period", "years", "integer", "3", 2, 7, "")],
    ),
    dict(
        code="LIFE-02",
        title="Extended service agreement offered",
        groups="LS", category="lifetime", kind="technical_specification", level="ambitious",
        text="The bidder offers a service agreement that extends the warranty to {years} years from delivery. It covers the repair or replacement of faulty parts, the battery included, with the repair times stated in the offer.",
        rationale="Longer use is the largest lever for a lower impact per year of use; a service agreement takes away the risk of keeping devices longer.",
        verification="The terms of the service agreement: duration, parts covered and repair times.",
        ecolabels=[], source="eu_gpp_2021", ref="EU GPP TS1",
        params=[("years", "Length of the service agreement", "years", "integer", "5", 3, 7, "")],
    ),
    dict(
        code="LIFE-03",
        title="Service agreement delivered during the contract",
        groups="LS", category="lifetime", kind="contract_clause", level="base",
        text="The contractor carries out the warranty and the service agreement as offered for the whole contract. Every year the contractor reports the number of repair requests, the repairs done, the average repair time and the devices replaced instead of repaired.",
        rationale="A warranty only extends the lifetime of devices if it is honoured; the yearly report shows whether it is.",
        verification="A yearly service report from the contractor.",
        ecolabels=[], source="eu_gpp_2021", ref="EU GPP CPC1", params=[],
    ),
    dict(
        code="LIFE-04",
        title="Spare parts available after purchase",
        groups="LS", category="reparability", kind="technical_specification", level="base",
        text="The manufacturer keeps spare parts for the model offered available for at least {years} years after its production ends: at least the battery, the screen, the charger and, for laptops, the keyboard. The parts are sold to the contracting authority and to independent repairers.",
        rationale="Devices are thrown away early when a single part cannot be bought.",
        verification="A declaration of the manufacturer listing the parts and the period, or a TCO Certified certificate for the model.",
        ecolabels=["tco-certified"], source="eu_gpp_2021", ref="EU GPP TS2",
        params=[("years", "Spare parts available for", "years", "integer", "5", 3, 10, "")],
    ),
    dict(
        code="LIFE-05",
        title="Design for repair: battery, screen, keyboard (L), memory and storage (L) replaceable with common tools",
        groups="LS", category="reparability", kind="technical_specification", level="ambitious",
        text="The battery and the screen can be replaced, and for laptops also the keyboard, the memory and the storage, with commonly available tools and without damaging the device. A repair manual with disassembly instructions is available to the contracting authority.",
        rationale="Parts that wear out or break must be replaceable for a device to reach a long life.",
        verification="The repair manual or disassembly instructions, or a TCO Certified or EPEAT certificate for the model.",
        ecolabels=["tco-certified", *EPEAT], source="eu_gpp_2021", ref="EU GPP TS4", params=[],
    ),
    dict(
        code="LIFE-06",
        title="Minimum use time supported by security and OS updates",
        groups="LS", category="lifetime", kind="technical_specification", level="ambitious",
        text="The manufacturer provides security updates and operating system updates for the model offered, free of charge, for at least {years} years from delivery.",
        rationale="A device without security updates has to be replaced even when its hardware still works.",
        verification="A declaration of the manufacturer stating the update period, or a TCO Certified generation 10 certificate (at least five years' use time).",
        ecolabels=["tco-certified"], source="ecolabel", ref="TCO Certified gen. 10",
        params=[("years", "Updates provided for", "years", "integer", "5", 3, 8, "")],
    ),
    dict(
        code="LIFE-07",
        title="Drop and stress tested",
        groups="S", category="lifetime", kind="technical_specification", level="ambitious",
        text="The smartphones offered pass a drop test onto a hard surface and a stress test of the screen and the charging port according to a recognised test standard, and still work fully afterwards.",
        rationale="Drops and broken screens are the most common reason smartphones fail early.",
        verification="A test report of an accredited laboratory (ISO/IEC 17025) with the test method and the result.",
        ecolabels=[], source="eu_gpp_2021", ref="EU GPP TS11, TS12", params=[],
    ),
    dict(
        code="LIFE-08",
        title="Points for extra durability testing",
        groups="S", category="lifetime", kind="award", level="ambitious",
        text="Points are awarded to smartphones that pass more durability tests than required, such as more drops, a greater drop height, tumbling tests or scratch tests of the screen. The more tests passed, the more points.",
        rationale="Rewards the sturdiest devices beyond the minimum.",
        verification="Test reports of an accredited laboratory.",
        ecolabels=[], source="eu_gpp_2021", ref="EU GPP AC2", params=[],
    ),
    dict(
        code="LIFE-09",
        title="Ingress protection for rugged use",
        groups="S", category="lifetime", kind="technical_specification", level="frontrunner",
        text="The smartphones offered are protected against dust and water at least to class {ip_class} according to IEC 60529.",
        rationale="For outdoor and field work, protection against dust and water keeps devices working for longer.",
        verification="A test report according to IEC 60529.",
        ecolabels=[], source="eu_gpp_2021", ref="EU GPP TS13",
        params=[("ip_class", "Ingress protection class", "", "choice", "IP67", None, None, "IP54, IP65, IP67, IP68")],
    ),
    dict(
        code="BATT-01",
        title="Battery endurance: minimum full charge cycles keeping 80 % capacity",
        groups="LS", category="battery", kind="technical_specification", level="base",
        text="The battery keeps at least 80 % of its rated capacity after {cycles} full charge and discharge cycles, tested according to IEC EN 61960.",
        rationale="The battery is the part that wears out first; a durable battery delays replacement of the whole device.",
        verification="A test report according to IEC EN 61960, or a TCO Certified certificate for the model.",
        ecolabels=["tco-certified"], source="eu_gpp_2021", ref="EU GPP TS6",
        params=[("cycles", "Full charge cycles", "cycles", "integer", "500", 300, 1500, "")],
    ),
    dict(
        code="BATT-02",
        title="Battery state-of-health information for the user",
        groups="LS", category="battery", kind="technical_specification", level="base",
        text="Software installed on the device shows the user the battery's state of health: its remaining capacity compared with the rated capacity, and the number of full charge cycles completed.",
        rationale="Knowing the battery's state lets users and IT departments replace a battery instead of a device.",
        verification="A declaration with screenshots of the function, or a TCO Certified certificate for the model.",
        ecolabels=["tco-certified"], source="eu_gpp_2021", ref="EU GPP TS8", params=[],
    ),
    dict(
        code="BATT-03",
        title="Battery protection software (charge limit)",
        groups="LS", category="battery", kind="technical_specification", level="ambitious",
        text="The device has software with which the user or the administrator can stop charging at a level below full, for example 80 %, to slow down the wear of the battery.",
        rationale="Devices that stay plugged in wear their battery fastest when it is kept full.",
        verification="A declaration of the manufacturer describing the function.",
        ecolabels=[], source="eu_gpp_2021", ref="EU GPP TS9", params=[],
    ),
    dict(
        code="BATT-04",
        title="Points for endurance above the minimum",
        groups="LS", category="battery", kind="award", level="ambitious",
        text="Points are awarded to devices whose battery keeps at least 80 % of its rated capacity after {cycles} full charge cycles or more, tested according to IEC EN 61960. The more cycles, the more points.",
        rationale="Rewards batteries that last longer than the minimum.",
        verification="A test report according to IEC EN 61960.",
        ecolabels=[], source="eu_gpp_2021", ref="EU GPP AC1",
        params=[("cycles", "Full charge cycles for points", "cycles", "integer", "1000", 500, 3000, "")],
    ),
    dict(
        code="PORT-01",
        title="Standardised charging port (USB-C)",
        groups="LS", category="lifetime", kind="technical_specification", level="base",
        text="The device can be charged through a USB Type-C port according to EN IEC 62680-1-3, with USB Power Delivery, so that it works with common chargers.",
        rationale="A common charger can be reused across devices, so fewer chargers are needed.",
        verification="A declaration of the manufacturer.",
        ecolabels=[], source="eu_gpp_2021", ref="EU GPP TS14", params=[],
    ),
    dict(
        code="PORT-02",
        title="Standardised external power supply with detachable cable",
        groups="LS", category="lifetime", kind="technical_specification", level="ambitious",
        text="The external power supply follows a common standard (USB Power Delivery or equivalent), and its cable can be detached from both the power supply and the device, so that a broken cable can be replaced on its own.",
        rationale="Cables break more often than power supplies; replacing only the cable saves material.",
        verification="A declaration of the manufacturer.",
        ecolabels=[], source="eu_gpp_2021", ref="EU GPP TS15, TS16", params=[],
    ),
    dict(
        code="LESS-01",
        title="Delivered without unneeded accessories (chargers, cables)",
        groups="LS", category="buy_less", kind="award", level="base",
        text="Points are awarded when the bidder offers to deliver the devices without chargers, cables, headphones or other accessories that the contracting authority does not order, at a correspondingly lower price.",
        rationale="Most organisations already have enough chargers and cables; not buying them avoids waste.",
        verification="The offer lists what is delivered with each device.",
        ecolabels=[], source="eu_gpp_2021", ref="EU GPP AC4", params=[],
    ),
    dict(
        code="ENER-01",
        title="Energy efficiency at the latest ENERGY STAR level",
        groups="L", category="energy", kind="technical_specification", level="base",
        text="The laptops offered meet the energy efficiency requirements of the latest ENERGY STAR version for computers in force when the call for tenders is published.",
        rationale="Energy use in the use phase adds to the footprint of every year a laptop is used.",
        verification="An ENERGY STAR registration, an EPEAT or TCO Certified certificate, or a test report showing equal performance.",
        ecolabels=["energy-star", *EPEAT, "tco-certified"], source="eu_gpp_2021", ref="EU GPP TS18", params=[],
    ),
    dict(
        code="ENER-02",
        title="Points for energy use below the ENERGY STAR limit",
        groups="L", category="energy", kind="award", level="ambitious",
        text="Points are awarded to laptops whose typical energy consumption is at least {percent} % below the ENERGY STAR limit for their category. The lower the consumption, the more points.",
        rationale="Rewards the most efficient laptops on the market.",
        verification="A test report according to the ENERGY STAR test method.",
        ecolabels=[], source="eu_gpp_2021", ref="EU GPP AC5",
        params=[("percent", "Below the ENERGY STAR limit by", "%", "integer", "10", 5, 50, "")],
    ),
    dict(
        code="SUBS-01",
        title="Halogenated flame retardants restricted in plastic parts",
        groups="LS", category="hazardous_substances", kind="technical_specification", level="base",
        text="Plastic parts heavier than 25 grams, such as the casing, the bezel and the keyboard, contain no more than 0.1 % by weight of halogenated flame retardants.",
        rationale="Halogenated flame retardants are harmful to people and hinder recycling of the plastics.",
        verification="A declaration backed by test results or supplier declarations, or a TCO Certified, EPEAT or Blue Angel certificate for the model.",
        ecolabels=["tco-certified", *EPEAT, "blue-angel"], source="eu_gpp_2021", ref="EU GPP TS21", params=[],
    ),
    dict(
        code="SUBS-02",
        title="Restricted substance controls in the supply chain",
        groups="LS", category="hazardous_substances", kind="selection", level="ambitious",
        text="The bidder shows that the manufacturer controls restricted substances in its supply chain with a documented system, such as declarations according to IEC 62474 or a management system according to IEC/TS 62239 or equivalent, including supplier declarations and testing.",
        rationale="Substance limits are only met reliably when the supply chain is controlled.",
        verification="A description of the management system and a sample of supplier declarations.",
        ecolabels=[], source="eu_gpp_2021", ref="EU GPP SC1", params=[],
    ),
    dict(
        code="SUBS-03",
        title="Points for components free of Substances of Very High Concern",
        groups="LS", category="hazardous_substances", kind="award", level="ambitious",
        text="Points are awarded when the bidder shows that the main parts of the device (the printed circuit boards, the casing, the cables and the external power supply) contain no Substances of Very High Concern on the REACH Candidate List above 0.1 % by weight.",
        rationale="Rewards devices that are safer to use and to recycle.",
        verification="A declaration backed by supplier declarations for each part.",
        ecolabels=[], source="eu_gpp_2021", ref="EU GPP AC7", params=[],
    ),
    dict(
        code="SUBS-04",
        title="Substitutes assessed to avoid regrettable substitution",
        groups="LS", category="hazardous_substances", kind="award", level="frontrunner",
        text="Points are awarded when the manufacturer shows that the substances used instead of restricted ones, such as flame retardants and plasticisers, were assessed by a recognised hazard method and found to be of low hazard, so that one harmful substance is not replaced by another.",
        rationale="Replacing a banned substance with an untested one can be just as harmful.",
        verification="A TCO Certified certificate for the model, or the hazard assessments of the substitutes.",
        ecolabels=["tco-certified"], source="eu_gpp_2021", ref="EU GPP AC8", params=[],
    ),
    dict(
        code="MATR-01",
        title="Plastic parts marked for recycling (ISO 11469)",
        groups="LS", category="materials", kind="technical_specification", level="ambitious",
        text="Plastic parts heavier than 25 grams are marked according to ISO 11469 and ISO 1043, so that recyclers can sort them by kind of plastic.",
        rationale="Plastics that can be sorted can be recycled into new products.",
        verification="A declaration of the manufacturer.",
        ecolabels=[], source="eu_gpp_2021", ref="EU GPP TS22", params=[],
    ),
    dict(
        code="MATR-02",
        title="Recycled plastic content in the casing",
        groups="LS", category="materials", kind="award", level="ambitious",
        text="Points are awarded when the plastic parts of the casing contain at least {percent} % post-consumer recycled plastic by weight. The higher the share, the more points.",
        rationale="Recycled plastic replaces new plastic made from fossil resources.",
        verification="A declaration with evidence of the recycled content from the supplier, or a TCO Certified or EPEAT certificate for the model.",
        ecolabels=["tco-certified", *EPEAT], source="ecolabel", ref="TCO Certified",
        params=[("percent", "Recycled plastic in the casing", "%", "integer", "30", 10, 85, "")],
    ),
    dict(
        code="MATR-03",
        title="Plastics designed to stay recyclable (no incompatible inserts, paints, coatings)",
        groups="LS", category="materials", kind="award", level="frontrunner",
        text="Points are awarded when the plastic casing parts have no metal inserts that cannot be removed, and no paints, coatings or laminates that prevent the recycling of the plastic.",
        rationale="Inserts and coatings make plastics unfit for recycling.",
        verification="A declaration of the manufacturer.",
        ecolabels=[], source="eu_gpp_2021", ref="EU GPP AC9, AC10", params=[],
    ),
    dict(
        code="EOL-01",
        title="Secure collection, certified data erasure, reuse first, then WEEE recycling",
        groups="LS", category="end_of_life", kind="technical_specification", level="base",
        text="The bidder offers a take-back service for devices the contracting authority no longer uses. The service collects the devices securely, erases all data with certified software or destroys the storage, prepares the devices for reuse where possible, and has the rest treated by recyclers of electrical and electronic waste certified to EN 50625 or equivalent.",
        rationale="Devices that leave the organisation should be reused first and otherwise recycled properly, with the data safely erased.",
        verification="A data erasure certificate for each device and the certificate of the recycler.",
        ecolabels=[], source="eu_gpp_2021", ref="EU GPP TS23", params=[],
    ),
    dict(
        code="EOL-02",
        title="Reporting on the end destination of the devices taken back",
        groups="LS", category="end_of_life", kind="contract_clause", level="base",
        text="Every year of the contract, the contractor reports for the devices taken back how many were reused and in which country, how many were recycled and by whom, and how many ended otherwise, together with the data erasure certificates.",
        rationale="The Pact reports where devices go; this report provides the figures.",
        verification="A yearly report from the contractor.",
        ecolabels=[], source="eu_gpp_2021", ref="EU GPP CPC2", params=[],
    ),
    dict(
        code="EOL-03",
        title="Built-in secure data deletion to enable reuse",
        groups="LS", category="end_of_life", kind="technical_specification", level="base",
        text="The device has a built-in function that deletes all user data securely, such as a factory reset that overwrites or cryptographically erases the storage, so that the device can be reused by someone else.",
        rationale="Fear of data leaks is a main reason why working devices are shredded instead of reused.",
        verification="A declaration of the manufacturer describing the function.",
        ecolabels=[], source="eu_gpp_2021", ref="EU GPP TS5", params=[],
    ),
    dict(
        code="EOL-04",
        title="E-waste compensated: the brand collects an equal amount of e-waste where safe recycling is lacking",
        groups="LS", category="end_of_life", kind="award", level="frontrunner",
        text="Points are awarded when the brand owner, for each device delivered, has an equal amount of electronic waste collected and safely recycled in a country where safe recycling is lacking, verified by an independent body.",
        rationale="Much electronic waste ends up where it harms people and nature; compensation takes an equal amount out of that stream.",
        verification="A TCO Certified Edge certificate for the model, or equal independent evidence.",
        ecolabels=["tco-certified-edge"], source="ecolabel", ref="TCO Certified Edge", params=[],
    ),
    dict(
        code="REFU-01",
        title="Refurbished or remanufactured devices accepted or required for the lot",
        groups="LS", category="buy_less", kind="technical_specification", level="ambitious",
        text="At least {share} % of the devices in this lot are refurbished or remanufactured. Refurbished devices meet the same functional requirements as new ones, and the criteria for lots of refurbished devices apply to them.",
        rationale="A refurbished device avoids most of the footprint of making a new one.",
        verification="The offer states which devices are refurbished or remanufactured.",
        ecolabels=[], source="eu_gpp_2021", ref="EU GPP refurbished set",
        params=[("share", "Share of refurbished devices", "%", "integer", "25", 0, 100, "")],
    ),
    dict(
        code="REFU-02",
        title="Quality assurance of the refurbishment process",
        groups="LS", category="lifetime", kind="selection", level="base", refurbished=True,
        text="The bidder refurbishes devices through a documented quality process that covers testing every device, erasing data, replacing faulty parts and grading the cosmetic condition, certified according to EN 50614, PAS 141, R2, e-Stewards or equivalent.",
        rationale="A certified process gives refurbished devices the reliability of new ones.",
        verification="The certificate of the refurbishment process.",
        ecolabels=[], source="eu_gpp_2021", ref="EU GPP SC2", params=[],
    ),
    dict(
        code="REFU-03",
        title="Warranty on refurbished devices",
        groups="LS", category="lifetime", kind="technical_specification", level="base", refurbished=True,
        text="Refurbished devices come with a warranty of at least {years} years from delivery, covering the whole device including the battery.",
        rationale="A warranty gives buyers of refurbished devices the same security as buyers of new ones.",
        verification="The warranty terms.",
        ecolabels=[], source="eu_gpp_2021", ref="EU GPP TS25",
        params=[("years", "Warranty period", "years", "integer", "1", 1, 5, "")],
    ),
    dict(
        code="REFU-04",
        title="Battery capacity of refurbished devices",
        groups="LS", category="battery", kind="technical_specification", level="base", refurbished=True,
        text="The battery of each refurbished device has at least {capacity} % of its design capacity at delivery, or is replaced with a new battery.",
        rationale="A worn battery is the main complaint about refurbished devices.",
        verification="A test report of the battery condition of each device or batch.",
        ecolabels=[], source="eu_gpp_2021", ref="EU GPP TS26",
        params=[("capacity", "Battery capacity at delivery", "% of design capacity", "integer", "80", 70, 100, "")],
    ),
    dict(
        code="FAIR-01",
        title="Socially responsible manufacturing: labour standards audited in final assembly",
        groups="LS", category="social", kind="technical_specification", level="base",
        text="The devices are assembled in factories whose working conditions are audited by an independent party against the ILO core conventions and national labour law, covering working hours, wages, health and safety, freedom of association, and forced and child labour. Findings are followed by corrective action plans.",
        rationale="The people who make the devices have a right to decent and safe work.",
        verification="A TCO Certified certificate for the model, or audit reports and corrective action plans of an independent party against equal requirements.",
        ecolabels=["tco-certified"], source="ecolabel", ref="TCO Certified gen. 9", params=[],
    ),
    dict(
        code="FAIR-02",
        title="Contract conditions on labour rights with independent worker-driven monitoring",
        groups="LS", category="social", kind="contract_clause", level="ambitious",
        text="The contractor respects the labour rights of the workers who make the goods supplied, as set out in the ILO core conventions and the law of the country of production. The contractor discloses the production sites, cooperates with independent monitoring that involves the workers, for example through Electronics Watch, and takes part in remedying any violation found.",
        rationale="Monitoring that listens to workers finds problems that audits miss.",
        verification="The list of production sites, and cooperation with the monitoring organisation the contracting authority is affiliated with, such as Electronics Watch.",
        ecolabels=[], source="other", ref="Electronics Watch", params=[],
    ),
    dict(
        code="FAIR-03",
        title="Supply chain due diligence and transparency (conflict minerals, smelter list)",
        groups="LS", category="social", kind="contract_clause", level="ambitious",
        text="The contractor carries out due diligence on the supply chain of tin, tantalum, tungsten, gold and cobalt following the OECD Due Diligence Guidance for Responsible Supply Chains of Minerals from Conflict-Affected and High-Risk Areas, publishes its policy and the list of smelters and refiners in its supply chain, and updates the list every year of the contract.",
        rationale="Minerals in devices can finance armed conflict and abuse; due diligence finds and reduces that risk.",
        verification="The published policy and the list of smelters and refiners.",
        ecolabels=[], source="other", ref="OECD due diligence guidance", params=[],
    ),
    dict(
        code="FAIR-04",
        title="Supply chain mapping disclosed to the buyer down to component level",
        groups="LS", category="social", kind="award", level="frontrunner",
        text="Points are awarded when the bidder discloses to the contracting authority the supply chain of the device down to component level: the factories that make the main components (printed circuit boards, displays, batteries and casings) and where they are.",
        rationale="A buyer can only act on risks in the supply chain it can see.",
        verification="The disclosure of the supply chain.",
        ecolabels=[], source="pact_working_group", ref="Pact working group on ethical ICT", params=[],
    ),
    dict(
        code="CLIM-01",
        title="Product carbon footprint disclosed (verified)",
        groups="LS", category="climate", kind="award", level="ambitious",
        text="Points are awarded when the bidder provides the carbon footprint of the model offered over its whole life cycle, calculated according to ISO 14067 or an equal method and verified by an independent party.",
        rationale="A verified footprint lets buyers compare devices on climate impact.",
        verification="The product carbon footprint report with its verification, or an EPEAT Climate+ designation for the model.",
        ecolabels=["epeat-climate-plus"], source="ecolabel", ref="EPEAT Climate+", params=[],
    ),
    dict(
        code="CLIM-02",
        title="Renewable electricity in final assembly",
        groups="LS", category="climate", kind="award", level="frontrunner",
        text="Points are awarded when at least {percent} % of the electricity used in the final assembly of the devices comes from renewable sources, shown by energy attribute certificates or power purchase agreements. The higher the share, the more points.",
        rationale="Making devices takes most of their carbon footprint; renewable electricity reduces it.",
        verification="A TCO Certified generation 10 certificate, or the energy attribute certificates or power purchase agreements.",
        ecolabels=["tco-certified"], source="ecolabel", ref="TCO Certified gen. 10",
        params=[("percent", "Renewable electricity in final assembly", "%", "integer", "15", 10, 100, "")],
    ),
]

GROUPS = {"L": "laptop", "S": "smartphone"}


def forwards(apps, schema_editor):
    ProductGroup = apps.get_model("criteria", "ProductGroup")
    Ecolabel = apps.get_model("criteria", "Ecolabel")
    Criterion = apps.get_model("criteria", "Criterion")
    CriterionVersion = apps.get_model("criteria", "CriterionVersion")
    CriterionParameter = apps.get_model("criteria", "CriterionParameter")
    for row in CRITERIA:
        groups = list(
            ProductGroup.objects.filter(code__in=[GROUPS[g] for g in row["groups"]])
        )
        criterion, created = Criterion.objects.get_or_create(
            code=row["code"], defaults={"title": row["title"], "level": row["level"]}
        )
        if not created:
            continue
        criterion.product_groups.set(groups)
        version = CriterionVersion.objects.create(
            criterion=criterion,
            number=1,
            status="approved",
            title=row["title"],
            level=row["level"],
            refurbished_lots_only=row.get("refurbished", False),
            category=row["category"],
            kind=row["kind"],
            tender_text=row["text"],
            rationale=row["rationale"],
            verification=row["verification"],
            source=row["source"],
            source_reference=row["ref"],
            change_note="First version, from the starting content of the criteria base.",
            created_at=APPROVED_AT,
            submitted_at=APPROVED_AT,
            approved_at=APPROVED_AT,
        )
        version.product_groups.set(groups)
        version.ecolabels.set(Ecolabel.objects.filter(code__in=row["ecolabels"]))
        for order, (name, label, unit, value_type, default, low, high, choices) in enumerate(row["params"]):
            CriterionParameter.objects.create(
                version=version,
                name=name,
                label=label,
                unit=unit,
                value_type=value_type,
                default=default,
                minimum=low,
                maximum=high,
                choices=choices,
                sort_order=order,
            )


def backwards(apps, schema_editor):
    Criterion = apps.get_model("criteria", "Criterion")
    CriterionVersion = apps.get_model("criteria", "CriterionVersion")
    codes = [row["code"] for row in CRITERIA]
    CriterionVersion.objects.filter(criterion__code__in=codes).delete()
    Criterion.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("criteria", "0003_add_versions_selections_and_usage")]

    operations = [migrations.RunPython(forwards, backwards)]
