"""Demo data: Samverk Eksjö's handlingsplan for 2026, from the area's own plan (the seed
document, its years moved forward), fastställd by the styrgrupp. Idempotent: an existing
2026 plan for the area is left as it is."""

from datetime import date

from django.db import transaction

from .enums import VersionKind
from .models import AreaPlan
from .services.plans import add_activity, add_goal, start_plan
from .services.versions import save_version

YEAR = 2026

# (mål, [(aktivitet, hur, ansvarig, när, uppföljning, genomförd)])
EKSJO_PLAN = [
    (
        "Personal ska ha god kännedom hur samverkan fungerar och vilka system samverkan "
        "bygger på samt ha god kunskap och kännedom om varandras verksamheter.",
        [
            (
                "Lokal samverkansdag",
                "Arbetsgruppen planerar och inbjuder till lokal samverkansdag för kommunområdet.",
                "Arbetsgruppen",
                "1-2 ggr per år.",
                "Samverkansdag planerades i maj, men genomfördes inte med anledning av att "
                "tjänsten som samverkanskoordinator var vakant.",
                False,
            ),
            (
                "Samtliga aktörer ansvarar för att den egna organisationen har kännedom om "
                "samverkansarbetet.",
                "Styrgrupp och arbetsgrupp sprider information vidare inom sin organisation.",
                "Samtliga aktörer",
                "Kontinuerligt",
                "Sker kontinuerligt",
                False,
            ),
            (
                "Sammanställning av samverkansforum i kommunområdet samt vilka begrepp som är "
                "centrala i de olika verksamheterna.",
                "Representanter i arbetsgruppen lämnar in underlag till samverkanskoordinator "
                "för sammanställning.",
                "Arbetsgruppen och samverkanskoordinator.",
                "Uppdateras två ggr per år.",
                "Detta gjordes i början av 2026.",
                True,
            ),
            (
                "Information på hemsida/intranät.",
                "Information om Samverk Eksjös arbete och aktuella dokument läggs ut på "
                "kommunens hemsida/intranät samt hemsidan för Höglandets samordningsförbund.",
                "Samverkanskoordinator",
                "Uppdateras två ggr per år.",
                "Har skett kontinuerligt.",
                False,
            ),
            (
                "Samordningsförbundets inspirationsdag",
                "Chefer, medarbetare från alla aktörer ges möjlighet att delta vid "
                "Samordningsförbundets inspirationsdag som arrangeras en gång per år.",
                "Chefer inom alla verksamheter som arbetar med målgruppen.",
                "Årligen.",
                "Planerat till hösten 2026",
                False,
            ),
        ],
    ),
    (
        "Rutiner - informationskanaler - struktur",
        [
            (
                "Utarbeta en skriftlig rutin för Samverk arbetsgrupp/individ som innefattar "
                "mål, syfte och mötesordning.",
                "I Samverk arbetsgrupp sammanställs rutiner för Samverk arbetsgrupp och "
                "Samverk individ.",
                "Arbetsgruppen och samverkanskoordinator",
                "Uppdateras årligen",
                "Inte genomfört, bör med fördel finnas kvar att jobba med under 2027.",
                False,
            ),
        ],
    ),
    (
        "Stabila samverkanssystem skapas som håller på olika nivåer oberoende av regel-, "
        "organisations och/eller personalförändringar.",
        [
            (
                "Styrgruppen, bestående av representanter på ledningsnivå från respektive "
                "aktör, arbetar på lednings- och strukturnivå.",
                "Alla aktörer deltar i styrgruppens arbete. Eksjö kommun sammankallar till möte.",
                "Alla aktörer.",
                "Fyra ggr/år",
                "Styrgruppen har varit kallad till möte vid två tillfällen under våren 2026. "
                "Pga bristande närvaro har ombokningar skett.",
                False,
            ),
            (
                "Arbetsgruppen arbetar med planering av aktiviteter och arbete med övriga "
                "samverkansfrågor på grupp- och strukturnivå.",
                "Alla aktörer utser representant/er till en arbetsgrupp.",
                "Styrgruppens medlemmar.",
                "Fyra ggr per år.",
                "Arbetsgruppen har träffats vid 2 tillfällen under våren 2026.",
                False,
            ),
            (
                "Samverkan runt individärenden finns sedan tidigare mellan kommunen, Regionen "
                "och Arbetsförmedlingen.",
                "Medarbetare från resp. organisation träffas för att diskutera och planlägga "
                "insatser för gemensamma individärenden.",
                "Berörda representanter i gruppen och samverkanskoordinator",
                "En gång i månaden.",
                "Gruppen för Samverk Individ har träffats regelbundet under våren 2026.",
                False,
            ),
        ],
    ),
    (
        "SIP",
        [
            (
                "Checklista för SIP och gemensam utbildningsplan.",
                "Arbetsgruppen kartlägger hur kunskapen om och användandet av SIP kan "
                "utvecklas utifrån samverkan. Detta ska sedan ligga till grund för en "
                "checklista/rutin för hur SIP ska användas i kommunområdet och om gemensamma "
                "utbildningar ska hållas.",
                "Arbetsgruppen och samverkanskoordinator",
                "Uppföljning en gång/år.",
                "Detta arbete påbörjades under senvåren och skulle få mer utrymme under "
                "hösten 2026.",
                False,
            ),
        ],
    ),
    (
        "Kompetensutveckling suicidprevention",
        [
            (
                "Framtagande av kommunövergripande handlingsplan pågår där det ska framgå hur "
                "samverkan sker med externa aktörer i kommunområdet",
                "I arbetsgruppen kartlägga det suicidpreventiva arbetet i de olika verksamheterna.",
                "Arbetsgruppen och samverkanskoordinator",
                "Uppföljning i samband med revidering av handlingsplanen.",
                "Viktig fråga som diskuterats och kommer få ytterligare fokus under 2027.",
                False,
            ),
        ],
    ),
    (
        "VINR – våld i nära relation",
        [
            (
                "Sammanställning finns kring rutiner i de olika verksamheterna. Fortsatt "
                "kartlägga hur arbetet fungerar i realiteten och vad som saknas med syfte att "
                "skapa samsyn.",
                "I arbetsgruppen arbeta med följande frågor:\nHur fungerar samverkan utifrån "
                "VINR?\nHur ser kunskapen ut kring våld i de olika verksamheterna?\nFinns "
                "behov av fortbildning?",
                "Arbetsgruppen och samverkanskoordinator",
                "Uppföljning en gång/år.",
                "Kartläggning har påbörjats. I arbetsgruppen har beslut tagits om en gemensam "
                "utbildning.",
                False,
            ),
        ],
    ),
]

COMMENT = (
    "Då deltagandet på inplanerade styrgruppsmöten under hösten/vintern saknat parter har "
    "frågan lyfts kring orsak och hur närvaron kan förbättras. Styrgruppen tog beslut om att "
    "ha en gemensam arbetsdag för att lyfta grunden och vikten av samverkan samt påminna om "
    "den lokala överenskommelsen och det gemensamma uppdraget.\n\n"
    "Arbetsgruppen har träffats vid 4 tillfällen under våren. Fokus har varit på "
    "informationsdagen och att få till en samsyn och kunskap om varandras uppdrag. "
    "Handlingsplanen har legat till grund för arbetet och grovplanering för året har gjorts."
)


@transaction.atomic
def build_eksjo_plan(area, user) -> AreaPlan:
    """Samverk Eksjö's 2026 plan, fastställd on 1 March 2026 and revised on 15 June."""
    existing = AreaPlan.objects.filter(area=area, year=YEAR).first()
    if existing is not None:
        return existing
    plan = start_plan(area, YEAR)
    for goal_text, activities in EKSJO_PLAN:
        goal = add_goal(plan, goal_text)
        for text, how, responsible, when, _follow_up, _done in activities:
            add_activity(goal, text=text, how=how, responsible=responsible, when=when)
    save_version(plan, kind=VersionKind.ESTABLISHED, decided_on=date(YEAR, 3, 1), user=user)
    # The revision in June: the follow-up notes and what is done.
    activities = [a for _goal, acts in EKSJO_PLAN for a in acts]
    rows = [act for goal in plan.goals.all() for act in goal.activities.all()]
    for row, (*_fields, follow_up, done) in zip(rows, activities, strict=True):
        row.follow_up, row.is_done = follow_up, done
        row.save(update_fields=["follow_up", "is_done"])
    plan.comment = COMMENT
    plan.save(update_fields=["comment"])
    save_version(plan, kind=VersionKind.REVISION, decided_on=date(YEAR, 6, 15), user=user)
    return plan
