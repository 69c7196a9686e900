"""The product's theme and addressee vocabulary: names in English, French and Russian, and a lexicon.

Data, installed by the migration ``0011_vocabulary`` and read by nothing else at run time (the
database is the vocabulary from then on, and the secretariat may edit it in the admin). A lexicon
is the genre's own words for the concept (preventing violent extremism, civil society, the UN and
the OSCE), not any one document's sentences; ``importing/tag_lexicon.py`` stems both sides, so
"trained" matches "training". A phrase counts for more than a single word.

Changing an entry here changes only databases migrated afterwards: an existing database needs a
new data migration calling ``install_vocabulary`` again (it fills, never overwrites).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Entry:
    slug: str
    en: str
    fr: str
    ru: str
    lexicon: str  # terms and phrases separated by "; "
    group: str = ""  # addressees only: Addressee.Group

    @property
    def terms(self) -> list[str]:
        return [term.strip() for term in self.lexicon.split(";") if term.strip()]


THEMES: tuple[Entry, ...] = (
    Entry(
        "youth",
        "Youth",
        "Jeunesse",
        "Молодёжь",
        (
            "youth; young people; young person; young women; young men; youth-led; youth-focused; "
            "youth organizations; youth empowerment; youth workers; adolescents; teenagers; children; "
            "juveniles; younger generation; students; youth centres"
        ),
    ),
    Entry(
        "gender",
        "Gender",
        "Genre",
        "Гендерные вопросы",
        (
            "gender; gender-sensitive; gender-responsive; gender dimensions; gender equality; gender "
            "mainstreaming; women; woman; women's organizations; women's rights; girls; mothers; "
            "masculinities; feminist; women, peace and security"
        ),
    ),
    Entry(
        "trust-building",
        "Trust-building",
        "Instauration de la confiance",
        "Укрепление доверия",
        (
            "trust; trust-building; build trust; building trust; mistrust; distrust; trust deficit; "
            "confidence-building; community policing; community-oriented policing; police-community "
            "relations; community-police; community-law enforcement; law enforcement-community; "
            "safety councils; community safety; local safety; relations with the police; dialogue "
            "with the police"
        ),
    ),
    Entry(
        "rehabilitation-and-reintegration",
        "Rehabilitation and reintegration",
        "Réhabilitation et réinsertion",
        "Реабилитация и реинтеграция",
        (
            "rehabilitation; reintegration; R/R; disengagement; deradicalization; de-radicalization; "
            "de-radicalisation; exit programmes; exit programs; returnees; returning fighters; "
            "foreign terrorist fighters; foreign fighters; prison; prisons; prisoners; inmates; "
            "offenders; violent extremist offenders; detainees; probation; after-care; aftercare; "
            "DDR; former combatants; reinsertion; integrate into society"
        ),
    ),
    Entry(
        "capacity",
        "Capacity",
        "Renforcement des capacités",
        "Укрепление потенциала",
        (
            "capacity; capacities; capacity-building; capacity building; build capacity; training; "
            "trainings; trained; train; mentoring; mentored; coaching; skills; technical assistance; "
            "toolkit; professional development; expertise; twinning"
        ),
    ),
    Entry(
        "terminology",
        "Terminology",
        "Terminologie",
        "Терминология",
        (
            "terminology; these terms; the term; such terms; label; labels; labeling; labelling; "
            "relabeled; relabelled; wording; framing; framed; stigmatize; stigmatise; stigmatization; "
            "stigmatisation; stigma; definition; definitions; euphemism"
        ),
    ),
    Entry(
        "research",
        "Research",
        "Recherche",
        "Исследования",
        (
            "research; researchers; study; studies; evidence; evidence-based; data; data collection; "
            "survey; surveys; analysis; trends; dynamics; drivers; root causes; findings; knowledge; "
            "mapping; assessment"
        ),
    ),
    Entry(
        "monitoring-and-evaluation",
        "Monitoring and evaluation",
        "Suivi et évaluation",
        "Мониторинг и оценка",
        (
            "monitoring and evaluation; M&E; evaluation; evaluations; evaluate; impact assessment; "
            "measure impact; measuring impact; indicators; metrics; demonstrate success; "
            "demonstrating success; baseline; lessons learned; what works"
        ),
    ),
    Entry(
        "private-sector",
        "Private sector",
        "Secteur privé",
        "Частный сектор",
        (
            "private sector; private-sector; businesses; business; companies; corporate; "
            "corporations; employers; industry; technology sector; tech companies; public-private "
            "partnerships; corporate social responsibility; entrepreneurs"
        ),
    ),
    Entry(
        "cso-collaboration",
        "CSO collaboration",
        "Collaboration entre OSC",
        "Сотрудничество организаций гражданского общества",
        (
            "collaboration; collaborate; collaborative; co-operation; cooperation; coordination; "
            "coordinated; co-ordination; networks; network; networking; coalitions; coalition; "
            "partnerships; partnership; joint projects; information-sharing; information sharing; "
            "exchange of experience; peer learning; alliances; cross-fertilization; CSO networks; "
            "civil society networks; CSO-to-CSO; umbrella organizations; joint advocacy"
        ),
    ),
    Entry(
        "legal-and-political-space",
        "Legal and political space",
        "Espace juridique et politique",
        "Правовое и политическое пространство",
        (
            "legal and political space; political space; civic space; civil society space; shrinking "
            "space; closing space; operating space; operational space; space for CSOs; space for "
            "civil society; restrictions; restrictive laws; restrictive legislation; freedom of "
            "association; freedom of expression; freedoms; legal framework; political support; "
            "democratic backsliding; harassment; security protections; enabling environment; foreign "
            "agent; counter-terrorism legislation"
        ),
    ),
    Entry(
        "local-ownership",
        "Local ownership",
        "Appropriation locale",
        "Местная сопричастность",
        (
            "ownership; local ownership; locally owned; locally-owned; locally led; locally-led; "
            "locally rooted; locally-rooted; community-led; community-based; community-level; "
            "grassroots; bottom-up; local actors; local organizations; local context; local "
            "stakeholders; local partners"
        ),
    ),
    Entry(
        "social-cohesion",
        "Social cohesion",
        "Cohésion sociale",
        "Социальная сплочённость",
        (
            "social cohesion; cohesion; cohesive; inclusive; inclusion; social fabric; polarization; "
            "polarisation; intolerance; tolerance; hate speech; hate crimes; discrimination; "
            "marginalization; marginalisation; exclusion; shared values; intercultural; coexistence; "
            "resilience; resilient"
        ),
    ),
    Entry(
        "human-rights",
        "Human rights",
        "Droits humains",
        "Права человека",
        (
            "human rights; rights-based; human rights defenders; human dignity; rule of law; civil "
            "liberties; due process; fundamental freedoms; rights violations; abuses; torture; "
            "humane"
        ),
    ),
    Entry(
        "funding",
        "Funding",
        "Financement",
        "Финансирование",
        (
            "funding; funds; fund; funded; funders; donor funds; donor funding; grants; grant; "
            "grant-making; grant application; financing; financial support; core funding; multi-year; "
            "fundraising; fund-raising; financial sustainability; budget; budgets; investment; invest"
        ),
    ),
    Entry(
        "religious-engagement",
        "Religious engagement",
        "Engagement religieux",
        "Взаимодействие с религиозными общинами",
        (
            "religious; religion; faith; faith-based; interfaith; inter-religious; religious leaders; "
            "religious communities; clergy; imams; mosques; churches; theological"
        ),
    ),
    Entry(
        "online-and-media",
        "Online space and media",
        "Espace numérique et médias",
        "Онлайн-пространство и СМИ",
        (
            "online; on-line; internet; social media; media; media literacy; digital; propaganda; "
            "narratives; counter-narratives; alternative narratives; counter-messaging; messaging; "
            "messages; communications; online platforms; new technologies"
        ),
    ),
    Entry(
        "education",
        "Education",
        "Éducation",
        "Образование",
        (
            "education; educational; schools; school; teachers; curriculum; curricula; critical "
            "thinking; universities; classrooms; pupils; literacy"
        ),
    ),
)

ADDRESSEES: tuple[Entry, ...] = (
    Entry(
        "participating-states",
        "Participating States",
        "États participants",
        "Государства-участники",
        (
            "participating States; member States; governments; government; national governments; "
            "national authorities; ministries; ministry; policymakers; policy makers; policy-makers; "
            "state institutions; parliaments; legislators"
        ),
        "states",
    ),
    Entry(
        "local-authorities",
        "Local authorities",
        "Autorités locales",
        "Местные органы власти",
        (
            "local authorities; local government; local governments; local officials; municipalities; "
            "municipal; mayors; city councils; local councils"
        ),
        "states",
    ),
    Entry(
        "law-enforcement",
        "Law enforcement",
        "Forces de l'ordre",
        "Правоохранительные органы",
        (
            "law enforcement; police; policing; police officers; security services; "
            "security forces; law enforcement agencies; police services"
        ),
        "states",
    ),
    Entry(
        "un-secretary-general",
        "UN Secretary-General",
        "Secrétaire général de l'ONU",
        "Генеральный секретарь ООН",
        "Secretary-General; Secretary General; SG; UNSG",
        "multilateral",
    ),
    Entry(
        "un-office-of-counter-terrorism",
        "UN Office of Counter-Terrorism",
        "Bureau de lutte contre le terrorisme des Nations unies",
        "Контртеррористическое управление ООН",
        (
            "Office of Counter-Terrorism; UNOCT; UN OCT; OCT; Under-Secretary-General for "
            "Counter-Terrorism; Under-Secretary General for CT; UNCCT; Counter-Terrorism Centre"
        ),
        "multilateral",
    ),
    Entry(
        "undp",
        "UNDP",
        "PNUD",
        "ПРООН",
        "UNDP; United Nations Development Programme; UNDP Administrator",
        "multilateral",
    ),
    Entry(
        "osce",
        "OSCE",
        "OSCE",
        "ОБСЕ",
        (
            "OSCE executive structures; OSCE Secretariat; OSCE Chairmanship; Chairmanship-in-Office; "
            "OSCE institutions; OSCE field operations; OSCE field missions; ODIHR"
        ),
        "multilateral",
    ),
    Entry(
        "multilateral-bodies",
        "Multilateral bodies",
        "Organismes multilatéraux",
        "Многосторонние органы",
        (
            "multilateral bodies; multilateral organizations; multilateral organisations; "
            "international organizations; regional organizations; UN agencies; UN entities; United "
            "Nations agencies; international NGOs"
        ),
        "multilateral",
    ),
    Entry(
        "donors",
        "Donors",
        "Bailleurs de fonds",
        "Доноры",
        (
            "donors; donor; donor funds; donor funding; funders; funding agencies; development "
            "partners; grant-makers; grantmakers; foundations"
        ),
        "donors",
    ),
    Entry(
        "civil-society-organizations",
        "Civil-society organizations",
        "Organisations de la société civile",
        "Организации гражданского общества",
        (
            "CSOs should; CSOs need to; CSOs must; CSOs can; civil society should; civil society "
            "organizations should; CSO networks should; NGOs should; civil society actors should"
        ),
        "civil_society",
    ),
    Entry(
        "academia",
        "Academia",
        "Milieu universitaire",
        "Академическое сообщество",
        (
            "academia; academics; academic; universities; university; think tanks; scholars; "
            "research institutes; research institutions"
        ),
        "other",
    ),
    Entry(
        "private-sector",
        "Private sector",
        "Secteur privé",
        "Частный сектор",
        "private sector; private-sector; businesses; companies; corporations; employers; industry",
        "other",
    ),
    Entry(
        "media-and-technology-companies",
        "Media and technology companies",
        "Médias et entreprises technologiques",
        "СМИ и технологические компании",
        (
            "technology companies; tech companies; social media companies; media companies; internet "
            "companies; technology sector; tech industry; online platforms; media outlets; "
            "journalists; technology organizations"
        ),
        "other",
    ),
)


def install_vocabulary(theme_model: Any, addressee_model: Any) -> dict[str, int]:
    """Install the vocabulary into the given models (the migration's historical ones); returns counts.

    A row is matched on its slug, else on its English name (a theme typed by hand, or by
    ``load_demo``, under another slug), and only its empty fields are filled: nothing is
    duplicated and nothing the secretariat wrote is overwritten, so running it again changes nothing.
    """
    counts = {"created": 0, "filled": 0}
    for model, entries in ((theme_model, THEMES), (addressee_model, ADDRESSEES)):
        for entry in entries:
            row = model.objects.filter(slug=entry.slug).first()
            if row is None:
                row = (
                    model.objects.filter(name_en__iexact=entry.en).first()
                    or model.objects.filter(name__iexact=entry.en).first()
                )
            values: dict[str, Any] = {
                "name_en": entry.en,
                "name_fr": entry.fr,
                "name_ru": entry.ru,
                "lexicon": "\n".join(entry.terms),
            }
            if entry.group:
                values["group"] = entry.group
            if row is None:
                model.objects.create(slug=entry.slug, name=entry.en, **values)
                counts["created"] += 1
                continue
            # A group chosen by hand is kept; "other" is the field's default, so it counts as unset.
            empty = [
                name
                for name, value in values.items()
                if not getattr(row, name) or (name == "group" and getattr(row, name) == "other" != value)
            ]
            for name in empty:
                setattr(row, name, values[name])
            if empty:
                row.save(update_fields=empty)
                counts["filled"] += 1
    return counts
