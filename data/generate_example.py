#!/usr/bin/env python3
"""Generate the example project ``data/sodertorn-exempel.json`` (format v1, Exempeldata).

Run from the repository root::

    .venv/bin/python data/generate_example.py            # writes data/sodertorn-exempel.json
    .venv/bin/python data/generate_example.py OUT.json   # writes elsewhere

The output is deterministic: two runs give byte-identical files (UTF-8, ``ensure_ascii=False``,
``indent=2``, one trailing newline).

Sources
-------
The tables below are copied verbatim from the project's domain research notes
(``research/domain.md``, research date 2026-11-26), sections 2.3 (criteria C1–C12 and weight
profiles P0–P4; the optional criteria X1–X3 are left out), 4 (15 objects and the DEMO-ONLY
scores) and 5.1 (milestones). Object attributes keep the research's ``data_quality`` marker
(S = key facts sourced, P = partly sourced, I = illustrative) and its source numbers.

What is illustrative (Exempeldata)
----------------------------------
The DEMO-ONLY score table was invented by the researcher to exercise ranking and sensitivity;
it is **not** an assessment of these projects. The weight profiles are illustrative too, and the
eight participants are placeholders (one official per member municipality, no personal names).

How the individual scores are generated
----------------------------------------
The demo score d of each cell (object × criterion) is the centre. With
``numpy.random.default_rng(SEED)`` two arrays of uniform numbers of shape
(participants, objects, criteria) are drawn, in this order: ``u_step`` and ``u_unknown``.

* Step: each participant's score is ``clip(d + step, 1, 5)`` where step is −1, 0 or +1 with
  probabilities (p, 1 − 2p, p), p = 0.2: step = −1 if u_step < p, +1 if u_step ≥ 1 − p, else 0.
* Municipal advocacy (mild): for objects in the participant's own municipality (the object's
  ``municipalities`` list) and only on the criteria in ``ADVOCACY_CRITERIA`` (C1, C3, C12), the
  probabilities are (0.1, 0.5, 0.4) instead, i.e. an expected shift of +0.3 steps.
* "Vet ej": a rating is unknown (``value: null``) if u_unknown < 0.03. If that would leave a
  cell with no rating at all, the rating with the largest u_unknown in that cell is kept.
* C10 (investment cost class, a fact-like class and not an opinion) is not rated per
  participant: each object gets one consensus score (``participant: null``) equal to the demo
  class, with the comment "Kostnadsklass enligt underlag (exempeldata)".

Scores are listed object by object, criterion by criterion, participant by participant.

Other transformations of the research tables
--------------------------------------------
* Criteria: ``guidance`` = the anchors for 1, 3 and 5 (C10: all five cost classes, since its
  level-5 anchor also defines classes 2 and 4); ``description`` = evidence indicators + goal links.
* Objects: ``cost`` = ``cost_msek`` (a range such as 15000-15800 gives the upper end, and the range
  is kept in ``cost_basis``); where the research has no cost, a candidate gets the made-up cost of
  ``ILLUSTRATIVE_COST_MSEK`` (inside its illustrative cost class), ``cost_illustrative: true`` and a
  ``cost_basis`` that starts "Exempeldata", so the cost and budget page demonstrates itself while
  sourced and made-up costs stay apart (issue 11 #15); committed objects without a source stay null; ``status`` is "committed" where the research's
  funding status says COMMITTED (SOD-01, SOD-12), else "candidate" (the marker itself is left out of
  the funding text shown); the municipality column is
  split by :func:`split_municipalities`; ``sources`` becomes a list.
* Plan data (``plan``, issue 14): each object's ``planning_status`` becomes ``plan.stage_note`` word for
  word (``prioritization.planning.fileformat.upgrade_object``, the rule that upgrades older files), and
  ``PLAN_2026`` adds the sourced 2026 facts of ``research/plan-round-2026.md`` §2.2–2.3 to SOD-01
  (VST005, Huddinge's co-financing, opening 2033), SOD-02 (package "Spårväg syd"; the 2025 split into
  stage 1 Flemingsberg–Skärholmen and stage 2 in its note) and SOD-04 (cancelled 2022), each fact
  citing its N source. SOD-02 keeps its name, description and cost: this is the 2023/24 round, scored
  and decided in December 2023 on the whole line Flemingsberg–Älvsjö; the split came in 2025 and
  belongs to the next round (the app's seeding makes "Södertörns prioriteringslista 2026/27
  (Exempeldata)" with stage 1 and stage 2 as objects of their own). The plan is checked by the project
  file's reader and written in its key order.
* Milestones: ``date_start``/``date_end`` become ``start``/``end``, ``basis`` becomes ``source``
  and ``depends_on`` a list. Added as data (see ``MILESTONE_STATUS``): the 2023/24 process M00–M09
  is over and ``done``; the external anchors E01–E09 lie before the research date and are
  ``done``; E10–E12 (expected in 2026, not confirmed by the research) stay ``planned`` with a note,
  so once their end has passed the tool shows them as late until someone confirms them. M09 is
  flagged as the decision (``decision: true``); the scoring workshops M04 and M07 are linked to
  the scoring phases 1 and 2 (``links``).
* Follow-up (``follow_up``): a track for SOD-01 (Tvärförbindelse Södertörn, committed) with the
  steps its ``planning_status``/``funding_status`` and sources name: ÅVS (Södertörn's statement of
  January 2014, S38b), in the national plan 2022–2033 (adopted June 2022, S62 and research
  section 5.2) and the road plan legally binding in January 2024 (S63). The dates are known to the
  month only (``precision: "month"``); the responsible body is illustrative.
* Committee (``committee``, issue 13): an illustrative municipal input stage, all Exempeldata. The eight
  member municipalities (ids: the names in lowercase ASCII), an input window tied to milestone M06
  (opened 4 September and closed 29 September 2023, before scoring workshop 2), local input points
  (budget 100, cap 40, share 0.3) with every municipality's allocations (``ALLOCATIONS``: whole points,
  each favouring objects in its own or a neighbouring territory, a short rationale marked
  "(exempeldata)"), three proposals (Salem's accepted one became SOD-15, already scored like the
  others; Botkyrka's declined with a reason; Nykvarn's still awaiting an answer), four wishes, the
  app's default checklist (``prioritization.committee.model.DEFAULT_CHECKLIST``, imported) and the
  screening: every candidate passed except SOD-15, let through against the "need" check with a
  reason. Nothing is parked and no score changes, so the model's ranking stays as it was. Drafts,
  stances and the decision refer to frozen versions and are not written here (the app's seeding
  makes them).

NumPy does not formally guarantee the ``Generator`` stream across releases (it has been stable
for ``PCG64.random``). If it ever changes, the determinism test fails and the file must be
regenerated and reviewed.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

import numpy as np

SEED = 20230316  # the date of the committee meeting M01; any fixed integer would do
STEP_P = 0.2
ADVOCACY_CRITERIA = ("C1", "C3", "C12")
ADVOCACY_PROBS = (0.1, 0.5, 0.4)  # P(step = -1), P(0), P(+1) for own-municipality objects
UNKNOWN_P = 0.03
CONSENSUS_CRITERIA = ("C10",)
CONSENSUS_COMMENT = "Kostnadsklass enligt underlag (exempeldata)"
SCALE = (1, 5)

OUTPUT = Path(__file__).resolve().parent / "sodertorn-exempel.json"

MEMBER_MUNICIPALITIES = (
    "Botkyrka", "Haninge", "Huddinge", "Nykvarn", "Nynäshamn", "Salem", "Södertälje", "Tyresö",
)
# Official names; three of them take the genitive -s.
ORGANISATIONS = {
    "Botkyrka": "Botkyrka kommun",
    "Haninge": "Haninge kommun",
    "Huddinge": "Huddinge kommun",
    "Nykvarn": "Nykvarns kommun",
    "Nynäshamn": "Nynäshamns kommun",
    "Salem": "Salems kommun",
    "Södertälje": "Södertälje kommun",
    "Tyresö": "Tyresö kommun",
}

NAME = "Södertörns prioriteringslista för transportinfrastruktur 2023/24 (Exempeldata)"
DATA_LABEL = "Exempeldata"
DESCRIPTION = (
    "Exempeldata för att prova verktyget – inte en bedömning av objekten. "
    "Illustrativt (påhittat): alla poäng (deltagarnas individuella poäng och kostnadsklasserna "
    "som samsynspoäng), vikterna och viktprofilerna P0–P4, deltagarna (platshållare, en "
    "tjänsteperson per kommun) samt de poängtrösklar i bedömningsstöden som är märkta "
    "(illustrativ tröskel). "
    "Objektens beskrivande attribut kommer från en forskningssammanställning (2026-11-26) och "
    "har olika säkerhet enligt fältet data_quality: S = nyckeluppgifterna har källa, "
    "P = delvis källbelagt, resten illustrativt, I = illustrativt; fältet sources anger "
    "källnummer (se data/README.md). Kostnad (cost, MSEK) har källa bara för SOD-01, SOD-02 och "
    "SOD-05; övriga kandidaters kostnader är påhittade exempel inom sin (illustrativa) kostnadsklass, "
    "märkta cost_illustrative och \"Exempeldata\" i kostnadsunderlaget, så att sidan Kostnad och budget "
    "går att prova. Koordinater är ungefärliga (±1–2 km). "
    "Planeringsläget avser senast funna källa (oftast 2025 eller tidigare) och kan vara inaktuellt; det står "
    "i planuppgifternas anteckning (plan.stage_note). Planuppgifterna för SOD-01, SOD-02 och SOD-04 (planreferenser, "
    "planeringsskede, medfinansiering, länkar) har källa ur en forskningssammanställning från december 2026 "
    "(källnummer N…). "
    "Milstolpar: källa anges i fältet source; interna mellanliggande milstolpar märkta "
    "\"förslag (illustrativt)\" är förslag. Individuella poäng är slumpade kring exempeltabellens poäng med fast frö "
    "(data/generate_example.py)."
)

# --- research/domain.md section 2.3: criteria C1–C12 (X1–X3 omitted) -------------------------
CRITERIA_CSV = """\
id,group_sv,group_en,name_sv,name_en,direction,scale,default_weight,anchor_1,anchor_3,anchor_5,evidence_indicators,goal_links
C1,Tillgänglighet och regional utveckling,Accessibility & regional development,Regional tillgänglighet,Regional accessibility,benefit,1-5,12,"Ingen/marginell förbättring av restider eller nåbarhet; lokal effekt","Märkbar restidsvinst (ca 5–10 min) eller tätare trafik i ett regionalt stråk; berör tiotusentals resor/dygn [ILL-tröskel]","Stor förbättring (>10 min eller ny direktförbindelse); väsentligt fler nåbara arbetsplatser inom 45 min; berör >50 000 resor/dygn [ILL-tröskel]","restidsvinst; nåbara arbetsplatser; resor/dygn; ÅVS/SEB","Funktionsmålet; RUFS mål 1; SUP Infrastruktur"
C2,Tillgänglighet och regional utveckling,Accessibility & regional development,Sammanlänkade regionala stadskärnor och tvärförbindelser,Linking regional urban cores / cross-connections,benefit,1-5,10,"Ingen koppling till regional stadskärna eller tvärstråk","Stärker en regional stadskärnas koppling till omland eller regioncentrum","Skapar/väsentligt förbättrar tvärförbindelse mellan två eller fler regionala stadskärnor (Flemingsberg; Kungens kurva–Skärholmen; Haninge C; Södertälje) utan att passera centrala Stockholm","berörda stadskärnor; restid kärna–kärna","RUFS flerkärnighet; SUP 'till och mellan de regionala stadskärnorna'"
C3,Tillgänglighet och regional utveckling,Accessibility & regional development,Bostäder och arbetsplatser,Enabling housing & jobs,benefit,1-5,8,"Inga planerade bostäder/arbetsplatser beroende av åtgärden","Möjliggör/påskyndar ca 1 000–5 000 bostäder eller motsvarande arbetsplatser i ÖP/detaljplan [ILL-tröskel]","Avgörande förutsättning för >10 000 bostäder/arbetsplatser, gärna avtalade (t.ex. Sverigeförhandlingen) [ILL-tröskel]","antal bostäder/arbetsplatser i influensområde; avtal","Södertörns mål 72 000 bostäder/100 000 jobb till 2030; RUFS"
C4,Klimat miljö och hälsa,Climate environment & health,Klimat och hållbart resande (omställning),Climate & sustainable mobility (transition),benefit,1-5,12,"Ökar tydligt biltrafikarbete/utsläpp utan kompenserande effekt","Neutral eller marginell nettoeffekt","Tydlig överflyttning till gång/cykel/kollektivtrafik eller gods till sjö/järnväg; väsentligt minskade CO2e","trafikarbete; färdmedelsandelar; CO2e (SEB)","Etappmål −70 % 2030; Klimatfärdplan 2050; SUP klimat (omställning); Region Stockholm 70 % hållbara resor"
C5,Klimat miljö och hälsa,Climate environment & health,Natur- kultur- och hälsopåverkan,Nature heritage & health impact,benefit,1-5,6,"Betydande intrång i skyddad natur/riksintresse eller ökade buller-/luftproblem","Begränsad påverkan som hanteras med skyddsåtgärder","Förbättrar miljö/hälsa (mindre buller/barriär; aktiva resor) utan nytt intrång","MKB; bullerberörda; naturreservat/riksintressen","Hänsynsmålet; miljökvalitetsmål"
C6,Säkerhet och robusthet,Safety & resilience,Trafiksäkerhet,Road & rail safety,benefit,1-5,7,"Ingen effekt eller ökad risk","Åtgärdar identifierade lokala olycksrisker (korsningar; GC-separering)","Åtgärdar ett av länets mest olycksdrabbade stråk eller separerar tung trafik från oskyddade i stor skala","olycksstatistik (STRADA); SEB","Hänsynsmålet; etappmål halverat antal döda 2030"
C7,Säkerhet och robusthet,Safety & resilience,Robusthet och redundans,Resilience & redundancy,benefit,1-5,7,"Ingen påverkan på sårbarhet","Minskar störningskänslighet på ett stråk (mötesspår; omledningsväg)","Eliminerar en kritisk enkelpunkt (kanalpassage; enkelspår med blandtrafik) eller stärker beredskap/totalförsvar","störningsstatistik; omledningsmöjligheter","RUFS resilient region; NP krisberedskap; prop. 2024/25:28 'pålitlig transportinfrastruktur'"
C8,Näringsliv och gods,Business & freight,Gods och näringslivets transporter,Freight & business transport,benefit,1-5,10,"Ingen effekt för gods/näringsliv","Förbättrar transporter/pendling till större verksamhetsområden","Avgörande för nationell/regional godsnod (Norvik; Södertälje hamn; logistikområden) eller primärled för tung trafik/farligt gods","godsflöden; tunga fordon/dygn; terminalkapacitet","Funktionsmålets precisering näringslivets transporter; SUP godstransportlösningar"
C9,Social hållbarhet,Social sustainability,Jämlik och jämställd tillgänglighet,Equitable & gender-equal access,benefit,1-5,6,"Nyttor främst för grupper som redan har god tillgänglighet","Blandad fördelning","Tydligt bättre tillgänglighet för områden med lågt bilinnehav/socioekonomiska utmaningar; barn/unga; personer med funktionsnedsättning; jämställt","fördelningsanalys (SEB); bilinnehav; socioekonomiskt index","Funktionsmålet (jämställdhet); RUFS mål 2"
C10,Ekonomi och genomförbarhet,Economy & deliverability,Investeringskostnad,Investment cost,cost,"1-5 (kostnadsklass)",8,"<100 MSEK","500–2 000 MSEK","> 10 000 MSEK (klass 2 = 100–500; klass 4 = 2 000–10 000)","kalkyl (successivmetod); prisnivå; spann låg–hög","Samhällsekonomisk effektivitet; budgetram"
C11,Ekonomi och genomförbarhet,Economy & deliverability,Planeringsmognad (planeringsläge),Planning maturity,benefit,1-5,8,"Idé/brist identifierad; ingen utredning","ÅVS eller motsvarande genomförd med rekommendation; avsiktsförklaring","Fastställd plan (laga kraft)/byggstartsklar eller finansierad och i genomförande","ÅVS; samråd/granskning; fastställelse; laga kraft","Trafikverkets planläggningsprocess"
C12,Ekonomi och genomförbarhet,Economy & deliverability,Medfinansiering och partnerskap,Co-financing & partnership,benefit,1-5,6,"Inga andra finansiärer eller åtaganden","Avsiktsförklaring om medfinansiering eller motprestation (t.ex. bostadsåtagande); belopp ej fastslagna","Avtalad medfinansiering (kommun/region/privat) och brett stöd i flera Södertörnskommuner och Region Stockholm","avtal; avsiktsförklaringar; antal stödjande kommuner","Sverigeförhandlingen; stadsmiljöavtal; lag (2009:47) [GK]"
"""

# --- research/domain.md section 2.3: weight profiles (each sums to 100) ----------------------
WEIGHT_PROFILES_CSV = """\
profile_id,name_sv,name_en,C1,C2,C3,C4,C5,C6,C7,C8,C9,C10,C11,C12
P0,Standard (förslag),Default,12,10,8,12,6,7,7,10,6,8,8,6
P1,Lika vikter,Equal weights,8.33,8.33,8.33,8.33,8.33,8.33,8.33,8.33,8.33,8.33,8.33,8.37
P2,Omställning,Climate transition,10,8,6,22,10,7,5,6,8,6,7,5
P3,Tillväxt och gods,Growth & freight,15,10,14,6,3,6,8,16,4,6,7,5
P4,Genomförbarhet,Deliverability,10,8,7,9,5,6,5,8,4,12,16,10
"""

# --- research/domain.md section 4: illustrative example dataset (15 objects) -----------------
OBJECTS_CSV = """\
id,name_sv,name_en,municipalities,mode,fyrsteg_step,description_sv,cost_msek,cost_class,cost_basis,planning_status,maturity_c11,plan_channel,funding_status,lat,lon,coord_precision,data_quality,sources
SOD-01,Tvärförbindelse Södertörn (väg 259),Södertörn cross-connection (road 259),Botkyrka;Huddinge;Haninge,road+cycle,4,"2 mil mötesfri motortrafikled Kungens kurva/Vårby–Flemingsberg–Jordbro med separat GC-väg; ca 4,8 km tunnel; nya Vårbybroar; ersätter olycksdrabbade väg 259; primärled för tung trafik (Norvik)",15000-15800,5,"sourced: 15 800 MSEK (2021), ca 15 000 MSEK (2024)","Vägplan laga kraft jan 2024; regeringens byggstartsbeslut; upphandling och miljödom 2024",5,NP,"Fullt finansierad i NP 2022–2033 (COMMITTED – visa utanför rankningen)",59.213,17.995,approx,S,"S62;S63;S64;S65;S37"
SOD-02,Spårväg syd (Flemingsberg–Älvsjö),Tramway South,Huddinge (+Stockholm stad),tram,4,"Ca 17 km dubbelspårig spårväg med ca 16 hållplatser via Masmo/Kungens kurva/Skärholmen/Fruängen; kopplad till 18 500 bostäder i Huddinge till 2035",4200,4,"sourced: budget 4 200 MSEK; staten 2 600, Huddinge 808, Region 401 + fordon/depå 1 600 MSEK; risk för fördyring 'ett par miljarder'","Avtal 2017 (Sverigeförhandlingen); ingår i LP 2022–2033; trafikslag omprövat efter fördyring (spårväg/buss) – senaste status ej verifierad",4,LP+Region+kommun,"Avtalsfinansierad men finansieringsgap",59.270,17.918,approx,S,"S66;S67;S68;S69;S14"
SOD-03,Nynäsbanan: dubbelspår Hemfosa–Nynäshamn samt triangelspår Älvsjö,Nynäs line double track + Älvsjö chord,Haninge;Nynäshamn (+Stockholm stad),rail,4,"Dubbelspår finns Älvsjö–Hemfosa (32 km); enkelspåret söderut är störningskänsligt och begränsar pendeltåg och godståg (upp till 750 m) från Norvik",,4,"unknown; historisk Banverket-skattning 2006 ca 2 000 MSEK för godspaket (dubbelspår till Nynäsgård, Jordbro, Älvsjö) i dåtida prisnivå","Utredningar 2004/2006; Södertörnsprioritering; ej identifierat som namngivet objekt i plan",2,NP,"Ej finansierad (ej verifierat)",58.985,17.903,approx,P,"S70;S71;S72;S29"
SOD-04,E4/E20 Södertäljebron – kapacitetsförstärkning Moraberg–Saltskog,E4/E20 Södertälje bridges capacity,Södertälje,road,3,"Breddning 2→3 körfält per riktning inkl. nya bredare lyftspann på de öppningsbara motorvägsbroarna (1965); flaskhals efter 6-fält Hallunda–Moraberg; broarna skadade flera gånger av påkörningar",,4,"unknown – [ILL] klass","Vägplanearbete avslutat 2022 (ej med i NP 2022–2033); behov kvarstår enligt Trafikverket; överledningsbro beslutad 2021",3,NP,"Ej finansierad",59.180,17.645,approx,P,"S73;S73b;S74"
SOD-05,Ny passage över Södertälje kanal (redundans),New Södertälje canal crossing,Södertälje,road,4,"Ny förbindelse för att minska sårbarheten vid störning på motorvägsbroarna; kommunens önskemål om tunnel",4000,4,"sourced: Trafikverkets bedömning ca 4 mdr för tunnel; klar tidigast ca 20 år efter att finansiering lösts","Utredd på regeringens uppdrag (NP 2018–2029); Trafikverket valde överledningsbro i stället",2,NP,"Ej finansierad",59.187,17.633,approx,S,"S74;S36;S29"
SOD-06,Väg 73 – infart Stockholm (stråkpaket enligt ÅVS),Road 73 inbound corridor package,Haninge;Nynäshamn (Tyresö indirekt),road+bus+cycle,2,"ÅVS: trängseln går inte att bygga bort; steg 1–2-åtgärder, kollektivtrafik, GC-kopplingar och samverkansforum; Länna–Handen ca 45 000 fordon/dygn",,3,"unknown – [ILL] klass (paket)","ÅVS genomförd (TRV 2020:115)",3,NP+LP+Region,"Ej finansierad som paket (ej verifierat)",59.170,18.130,approx,P,"S75;S76;S29"
SOD-07,Väg 225 Nynäshamn–Vårsta–Södertälje: trafiksäkerhet och godsstråk,Road 225 safety & freight corridor,Nynäshamn;Botkyrka;Södertälje,road,3,"Kortaste vägen Nynäshamn–E4/E20; ökande tung trafik från Norvik (ca 400 lastbilar/dygn prognos 2020); ÅVS med åtgärdslista (GC, hållplatser, korsningar)",,2,"unknown – [ILL] klass","ÅVS 2015 (TRV 2014:142); avsiktsförklaring ca 2019",3,LP,"Delvis (enskilda åtgärder) – ej verifierat",59.070,17.840,approx,P,"S77;S78;S79"
SOD-08,Bytespunkt Flemingsberg inkl. väg 226 planskildhet,Flemingsberg interchange incl. road 226 grade separation,Huddinge (Botkyrka),node,3,"Regional stadskärna; ny bytespunkt vid norra uppgången för pendel-/regional-/fjärrtåg, Spårväg syd och stombuss; barriär väg 226 och järnväg; 'Väg 226, planskildhet, del av bytespunkt Flemingsberg' nytt objekt i förslag LP 2026–2037",,3,"unknown – [ILL] klass","ÅVS (TRV 2020:163); avsiktsförklaring Huddinge–Region–TRV 2021; föreslaget i LP 2026–2037",3,LP+NP+Region+kommun,"Föreslagen i LP 2026–2037 (delvis)",59.2187,17.9466,approx,S,"S80;S81;S12"
SOD-09,Busslänk över E4/E20 vid Fittja (expressbuss N Hallunda–Tyresö),Bus link over E4 at Fittja (express bus N),Botkyrka;Huddinge;Tyresö (+Stockholm stad),bus,2,"Tvärgående expressbuss Hallunda–Flemingsberg–Huddinge C–Tyresö; ÅVS: 10–14 min restidsvinst och bättre tillgänglighet i områden med lågt bilinnehav; bussbro över E4/E20 planerad ca 2030; 'Busslänk över E4, Botkyrka' nytt objekt i förslag LP 2026–2037",,3,"unknown – [ILL] klass","ÅVS redovisad maj 2025; finansiering/avsiktsförklaring pågår",3,LP+Region,"Föreslagen i LP 2026–2037",59.2465,17.8590,approx,S,"S82;S12"
SOD-10,Expressbuss Handen–Tyresö (Gudöbroleden),Express bus Handen–Tyresö,Haninge;Tyresö,bus,2,"Upp till 9 min kortare restid än linje 840; nya hållplatser längs Gudöbroleden; förlängning västerut mot Flemingsberg när Tvärförbindelse Södertörn öppnar",,2,"unknown – [ILL] klass","Avsiktsförklaring 2024; etappvis trafikstart från ca 2027; Trafikverket bygger om delar av Gudöbroleden",4,Region+kommun+TRV,"Delvis (ej verifierat)",59.200,18.180,approx,S,"S83"
SOD-11,Regionalt cykelstråk Botkyrka–Liljeholmen,Regional cycle route Botkyrka–Liljeholmen,Botkyrka;Huddinge (+Stockholm stad),cycle,3,"Ett av två stråk som prioriterats i den regionala cykelförhandlingen 2022; del av ca 800 km regionala cykelstråk",,2,"unknown – [ILL] klass","Prioriterat i regional cykelförhandling 2022",2,LP+kommun,"Ej verifierat",59.262,17.881,approx,P,"S46;S45"
SOD-12,Cykelsatsning Södertörn: Vendelsöstråket–Skrubba (och Ältastråket),Södertörn cycle package Vendelsö–Skrubba,Haninge;Tyresö (+Stockholm stad; Nacka),cycle,3,"Regionala cykelstråk med namngiven finansiering i LP 2022–2033",,2,"unknown – [ILL] klass","Finansierat i LP 2022–2033",5,LP,"Finansierad (LP 2022–2033) – COMMITTED",59.222,18.180,approx,P,"S14"
SOD-13,Svealandsbanan: dubbelspår Södertälje syd–Nykvarn,Svealand line double track Södertälje–Nykvarn,Södertälje;Nykvarn,rail,4,"Dubbelspår finns Nykvarn–Läggesta (18 km) men inte närmast Södertälje [INF]; Södertörns prioritering 'Ökad kapacitet på Svealandsbanan'; ca 600 tågresenärer/dag från Nykvarn (2020)",,4,"unknown – [ILL] klass","Behov/idé; ingen ÅVS identifierad",1,NP,"Ej finansierad",59.172,17.540,approx,P,"S84;S29;S35;S87"
SOD-14,Södertälje hamn – förbättrad järnvägsanslutning och godsbangård,Södertälje port rail access & freight yard,Södertälje,rail-freight,3,"Godsnod med farled, järnväg och väg; Trafikverket bygger om Södertälje godsbangård för ökad kapacitet (planerad byggstart våren 2025); vidare behov enligt idéstudie 2011",,2,"unknown – [ILL] klass","Godsbangård: upphandling/byggstart 2025; övrigt idéstudie",4,NP+hamn+kommun,"Delvis finansierad (godsbangården)",59.181,17.648,approx,P,"S85;S85b;S29"
SOD-15,Bytespunkt och pendlarparkering Rönninge,Rönninge interchange & park-and-ride,Salem,node+P&R,2,"[ILL] Utökad infartsparkering (P-däck) och cykelparkering vid Rönninge pendeltågsstation; jfr Haninges test av gratis infartsparkering med SL-periodbiljett (2023)",,1,"[ILL]","[ILL] idé",1,kommun+Region,"[ILL] ej finansierad",59.1937,17.7497,approx,I,"S86"
"""

# --- research/domain.md section 4: DEMO-ONLY scores [ILL]; C10 = raw cost class --------------
DEMO_SCORES_CSV = """\
object_id,C1,C2,C3,C4,C5,C6,C7,C8,C9,C10,C11,C12
SOD-01,5,5,4,2,2,5,4,5,3,5,5,4
SOD-02,4,5,5,5,3,3,3,2,4,4,4,5
SOD-03,4,2,4,4,3,3,5,5,3,4,2,2
SOD-04,4,2,2,2,3,4,4,5,2,4,3,2
SOD-05,2,1,1,2,2,3,5,4,2,4,2,1
SOD-06,3,2,3,4,3,3,3,3,3,3,3,2
SOD-07,2,1,2,3,3,5,2,4,2,2,3,3
SOD-08,4,5,5,4,4,3,3,2,4,3,3,4
SOD-09,3,4,3,4,3,3,3,1,5,3,3,3
SOD-10,3,4,3,4,3,2,2,1,4,2,4,3
SOD-11,2,2,2,4,4,4,2,1,4,2,2,3
SOD-12,2,2,2,4,4,4,2,1,3,2,5,4
SOD-13,3,2,3,4,3,2,4,3,3,4,1,2
SOD-14,1,1,2,4,3,2,3,5,2,2,4,3
SOD-15,2,1,2,3,3,2,1,1,2,1,1,2
"""

# --- research/domain.md section 5.1: the 2023/2024 process milestones ------------------------
MILESTONES_CSV = """\
id,title_sv,title_en,date_start,date_end,precision,owner,type,depends_on,basis
M00,Ledningsgruppen beslutar om process (Trafiknätverk; behovsunderlag; prioriteringslista),Management group decides the process,2023-02-01,2023-02-28,month,Ledningsgruppen,internal,,minutes
M01,Samarbetskommitténs möte (information om processen),Committee meeting (process information),2023-03-16,2023-03-16,day,Samarbetskommittén,internal,M00,minutes
M02,Förslag till kriterier; vikter och objektlista (lång lista),Draft criteria; weights and long list,2023-03-17,2023-04-27,range,Trafiknätverket,internal,M01,[ILL] proposal
M03,Ledningsgruppens möte – godkänner kriterier och arbetsplan,Management group approves criteria & plan,2023-04-28,2023-04-28,day,Ledningsgruppen,internal,M02,minutes (date) + [ILL] content
M04,Datainsamling per objekt (kostnad; planeringsläge; ÅVS/SEB) och poängsättningsworkshop 1,Data collection + scoring workshop 1,2023-05-01,2023-06-15,range,Trafiknätverket,internal,M03,[ILL] proposal
M05,Första behovsunderlag klart (vår/sommar),First needs assessment (behovsunderlag) ready,2023-05-01,2023-08-31,season,Trafiknätverket,internal,M04,minutes (spring/summer)
M06,Samarbetskommittén: kommunernas enskilda behov och önskemål (efter sommaren),Committee session: individual needs & wishes,2023-09-01,2023-10-31,season,Samarbetskommittén,internal,M05,minutes (after summer)
M07,Poängsättningsworkshop 2 + känslighetsanalys + förslag till prioriteringslista,Workshop 2 + sensitivity + draft list,2023-10-01,2023-11-30,range,Trafiknätverket,internal,M06,[ILL] proposal
M08,Ledningsgruppen: rekommendation till beslut,Management group recommendation,2023-12-01,2023-12-31,month,Ledningsgruppen,internal,M07,[ILL] proposal
M09,Beslut om Södertörns prioriteringslista (vinter 2023/2024),Decision on Södertörn priority list,2023-12-01,2024-02-29,season,Samarbetskommittén,internal,M08,minutes (winter 2023/24)
E01,Regeringens direktiv: inriktningsunderlag 2026–2037,Government directive: inriktningsunderlag,2023-06-15,2023-06-15,day,Regeringen,external,,S8
E02,Trafikverket redovisar inriktningsunderlag 2026–2037 (remiss startar),Trafikverket delivers inriktningsunderlag (remiss opens),2024-01-15,2024-01-15,day,Trafikverket,external,E01,S7;S8
E03,Remissvar på inriktningsunderlaget (använd prioriteringslistan),Remiss answer on inriktningsunderlag,2024-01-15,2024-04-30,range,Södertörnskommunerna,external,E02;M09,[GK] typical ~3-month remiss – deadline not found
E04,Region Stockholm: inledande fas i revideringen av länsplanen,Region Stockholm: initial phase of LP revision,2024-03-01,2024-05-31,season,Region Stockholm,external,,S13
E05,Infrastrukturproposition 2024/25:28 (ramar 2026–2037),Infrastructure bill (frames),2024-10-03,2024-10-03,day,Regeringen,external,E02,S9
E06,Riksdagsbeslut om ramar,Riksdag decides frames,2024-11-01,2024-12-31,range,Riksdagen,external,E05,[GK]
E07,Direktiv för åtgärdsplanering; Trafikverkets regionala dialoger,Directive for åtgärdsplanering; dialogues,2025-01-01,2025-06-30,range,Regeringen/Trafikverket,external,E06,[GK]
E08,Trafikverkets förslag till nationell plan 2026–2037 (remiss),Trafikverket NP proposal (remiss),2025-09-30,2025-09-30,day,Trafikverket,external,E07,S10
E09,"Förslag till länsplan 2026–2037 (14,85 mdr) – remiss",LP proposal 2026–2037 – remiss,2025-09-01,2025-12-31,range,Region Stockholm,external,E07,S12 (dates not found)
E10,Regeringen fastställer nationell plan 2026–2037,Government adopts NP 2026–2037,2026-03-01,2026-06-30,season,Regeringen,external,E08,S11 (expected)
E11,Ny regional utvecklingsplan antas (ersätter RUFS 2050),New RUP adopted,2026-05-01,2026-05-31,month,Region Stockholm,external,,S41
E12,Region Stockholm fastställer länsplan 2026–2037,Region adopts LP 2026–2037,2026-06-01,2026-12-31,range,Region Stockholm,external,E10,S13 ('klar 2026')
"""

# C10's anchor text for level 5 also defines levels 2 and 4 ("klass 2 = 100–500; klass 4 =
# 2 000–10 000"); the guidance lists all five classes (research/domain.md section 4 reading guide).
C10_GUIDANCE = {
    "1": "<100 MSEK",
    "2": "100–500 MSEK",
    "3": "500–2 000 MSEK",
    "4": "2 000–10 000 MSEK",
    "5": "> 10 000 MSEK",
}


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


def demo_score_table() -> tuple[list[str], list[str], np.ndarray]:
    """The DEMO-ONLY scores: (object ids, criterion ids, matrix objects × criteria)."""
    reader = list(csv.reader(io.StringIO(DEMO_SCORES_CSV)))
    criterion_ids = reader[0][1:]
    object_ids = [row[0] for row in reader[1:]]
    matrix = np.array([[int(v) for v in row[1:]] for row in reader[1:]], dtype=float)
    return object_ids, criterion_ids, matrix


def weight_profile_points() -> dict[str, dict[str, int | float]]:
    """Points per criterion of each weight profile P0–P4, as in the research table."""
    profiles = {}
    for row in _rows(WEIGHT_PROFILES_CSV):
        profiles[row["profile_id"]] = {
            key: _number(value) for key, value in row.items() if key.startswith("C")
        }
    return profiles


def build_criteria() -> list[dict]:
    criteria = []
    for row in _rows(CRITERIA_CSV):
        guidance = (
            dict(C10_GUIDANCE)
            if row["id"] == "C10"
            else {k: _in_swedish(row[f"anchor_{k}"]) for k in ("1", "3", "5")}
        )
        description = (
            f"Underlag/indikatorer: {row['evidence_indicators']}. "
            f"Målkoppling: {row['goal_links']}."
        )
        if row["id"] == "C10":
            description = (
                "Kostnadsklass 1–5 (1: <100; 2: 100–500; 3: 500–2 000; 4: 2 000–10 000; "
                "5: >10 000 MSEK); hög klass = hög kostnad (kostnadskriterium). " + description
            )
        if not row["scale"].startswith("1-5"):
            raise ValueError(f"unexpected scale {row['scale']!r} for {row['id']}")
        criteria.append(
            {
                "id": row["id"],
                "name": row["name_sv"],
                "name_en": row["name_en"],
                "group": row["group_sv"],
                "group_en": row["group_en"],
                "direction": row["direction"],
                "scale": list(SCALE),
                "normalization": "scale",
                "description": _in_swedish(description),
                "guidance": guidance,
            }
        )
    return criteria


def build_weight_profiles() -> list[dict]:
    profiles = []
    points = weight_profile_points()
    for row in _rows(WEIGHT_PROFILES_CSV):
        profiles.append(
            {
                "id": row["profile_id"],
                "name": row["name_sv"],
                "description": "Illustrativ viktprofil (exempeldata); poängen summerar till 100. "
                f"English: {row['name_en']}.",
                "weights": {"method": "direct", "points": points[row["profile_id"]]},
            }
        )
    return profiles


def split_municipalities(text: str) -> tuple[list[str], list[str], list[str]]:
    """Split the research's municipality column into (direct, indirect, other).

    The column lists member municipalities separated by ";" and may end with a parenthesis:
    "(+Stockholm stad; Nacka)" names non-member municipalities (other), while
    "(Tyresö indirekt)" or "(Botkyrka)" names member municipalities that are only indirectly
    or secondarily involved (indirect).
    """
    direct_text, _, paren = text.partition("(")
    direct = [part.strip() for part in direct_text.split(";") if part.strip()]
    indirect: list[str] = []
    other: list[str] = []
    if paren:
        inner = paren.rstrip().removesuffix(")")
        is_other = inner.startswith("+")
        for part in inner.removeprefix("+").split(";"):
            name = part.strip().removesuffix(" indirekt").strip()
            if name:
                (other if is_other else indirect).append(name)
    for name in direct + indirect:
        if name not in MEMBER_MUNICIPALITIES:
            raise ValueError(f"{name!r} in {text!r} is not a Södertörn member municipality")
    return direct, indirect, other


# Made-up costs (MSEK) for the candidates the research gives no cost, each inside the object's
# illustrative cost class (1 < 100; 2 100-500; 3 500-2 000; 4 2 000-10 000; 5 > 10 000). Exempeldata.
ILLUSTRATIVE_COST_MSEK = {"SOD-03": 2600, "SOD-04": 3100, "SOD-06": 900, "SOD-07": 350, "SOD-08": 1200,
                          "SOD-09": 800, "SOD-10": 420, "SOD-11": 150, "SOD-13": 5200, "SOD-14": 260,
                          "SOD-15": 95}


# --- research/plan-round-2026.md §2.2–2.3 (December 2026): the plan round's facts (issue 14) ----------
# Each object's free-text planning status is its ``plan.stage_note``, word for word (the rule that
# upgrades a file written before issue 14: prioritization.planning.fileformat.upgrade_object). Three
# objects get the sourced 2026 facts as structured plan data; every fact names its source (N…, listed
# in data/README.md) and nothing is guessed into a controlled field: where the research has no source
# (the phase of VST005 in Bilaga 1, any cost of Spårväg syd's stage 1, E4/E20's place in NP
# 2026–2037) the field is left out and the note says so.
BILAGA_1 = ("https://bransch.trafikverket.se/contentassets/2fca968f05c545d59749ce9d442e117a/"
            "bilaga1_nationell_plan_for_transportinfrastrukturen_2026-2037-webb.xlsx")
TVF_PAGE = "https://www.trafikverket.se/tvarforbindelsesodertorn"
N14_PRESS = ("https://www.regeringen.se/pressmeddelanden/2025/12/nya-avtal-ska-sakra-finansieringen-av-utbyggnaden-"
             "av-stockholms-tunnelbana-och-kollektivtrafik-och-klargora-forutsattningarna-for-ostlig-forbindelse/")
N25_ARTICLE = "https://www.maskinentreprenoren.se/megaprojekt-i-stockholm-pa-ingang"
N26_NEWS = ("https://www.trafikverket.se/vara-projekt/projekt-i-stockholms-lan/e4e20-sodertaljebron-kapacitetsforstarkning/"
            "nyheter-for-e4e20-sodertaljebron-kapacitetsforstarkning/2022-09/"
            "projektet-ar-inte-med-i-den-nya-nationella-planen--vad-hander-nu/")
N30_PAGE = "https://treeline.se/tvarforbindelse-sodertorn/"
S14_LP = "https://www.regionstockholm.se/regional-utveckling/strategier-och-planer/lansplan-for-transportinfrastruktur/"

PLAN_2026: dict[str, dict] = {
    "SOD-01": {
        "sources": ["N10", "N25", "N28", "N30"],
        "plan": {
            "refs": [{"plan": "NP", "period": "2022–2033", "source": TVF_PAGE},
                     {"plan": "NP", "period": "2026–2037", "objekt_id": "VST005", "source": BILAGA_1}],
            "stage": "legally_binding",
            "note": "2026: Vägplanen har vunnit laga kraft och objektet är fullt finansierat utifrån nationell plan "
                    "2022–2033 (N28). Objekt VST005 i Bilaga 1 till fastställd nationell plan 2026–2037 (N10; "
                    "sekundär källa, fasen i bilagan ej kontrollerad). Genomförandeavtal Trafikverket–Huddinge; "
                    "upphandling av entreprenörer 2023–2025 (N25). Planerad öppning för trafik 2033 (N30, konsults "
                    "referenssida).",
            "evidence": "plan",
            "financing": [
                {"party": "municipality:Huddinge", "amount_msek": 45, "status": "agreement",
                 "reference": "Genomförandeavtal med Trafikverket: nettokostnad ca 45 MSEK för Tvärförbindelse "
                              "Södertörn och anslutande kommunala arbeten (N25)"},
                {"party": "municipality:Huddinge", "amount_msek": 492, "status": "agreement",
                 "reference": "Genomförandeavtal med Trafikverket: medfinansiering av Glömstatunneln (N25)"},
            ],
            "links": [
                {"kind": "trv_project", "url": TVF_PAGE, "title": "Trafikverket: Väg 259, Tvärförbindelse Södertörn (N28)"},
                {"kind": "plan", "url": BILAGA_1, "title": "Bilaga 1 till fastställd nationell plan 2026–2037 (N10)"},
                {"kind": "agreement", "url": N25_ARTICLE,
                 "title": "Maskinentreprenören: Megaprojekt i Stockholm på ingång – genomförandeavtal och Huddinges "
                          "medfinansiering (N25)"},
                {"kind": "other", "url": N30_PAGE, "title": "Treeline: Tvärförbindelse Södertörn, planerad öppning 2033 (N30)"},
            ],
        },
    },
    "SOD-02": {
        "sources": ["N14"],
        "plan": {
            "refs": [{"plan": "LP", "period": "2022–2033", "source": S14_LP}],
            "note": "Dec 2025: Parterna är överens om nya villkor för Spårväg syd i Sverigeförhandlingens Stockholmsdel: "
                    "etapp 1 byggs mellan Flemingsberg och Skärholmen; tilläggsavtalen har godkänts av de "
                    "undertecknande parternas beslutande församlingar (regeringens pressmeddelande, N14). "
                    "Etapp 2 Skärholmen–Fruängen–Älvsjö är inte avtalad (antagande, Exempeldata: inget avtal "
                    "funnet). Omgången 2023/24 bedömde och beslutade hela linjen Flemingsberg–Älvsjö.",
            "package": "Spårväg syd",
            "links": [{"kind": "decision", "url": N14_PRESS,
                       "title": "Regeringen dec 2025: Nya avtal ska säkra finansieringen av utbyggnaden av Stockholms "
                                "tunnelbana och kollektivtrafik (N14)"}],
        },
    },
    "SOD-04": {
        "sources": ["N26"],
        "plan": {
            "stage": "cancelled",
            "note": "Sep 2022: Projektet kom inte med i nationell plan 2022–2033 och arbetet med vägplanen avslutas "
                    "(Trafikverket, N26). Ingen finansiering. Plats i nationell plan 2026–2037: inte funnen i källorna.",
            "links": [{"kind": "news", "url": N26_NEWS,
                       "title": "Trafikverket sep 2022: Projektet är inte med i den nya nationella planen – vad händer "
                                "nu? (N26)"}],
        },
    },
}


def plan_2026(obj: dict) -> dict:
    """``obj`` with its planning status moved into ``plan.stage_note`` and the 2026 facts of PLAN_2026
    (plan data and sources only: the names, descriptions and costs stay those the 2023/24 round decided on)."""
    from prioritization.planning.fileformat import parse as parse_plan
    from prioritization.planning.fileformat import to_data, upgrade_object  # the repository is on the path

    out = upgrade_object(obj)
    update = PLAN_2026.get(obj["id"])
    if update is None:
        return out
    out["sources"] = out["sources"] + update["sources"]
    plan = {k: v for k, v in update["plan"].items() if k != "note"}
    plan["stage_note"] = f"{out['plan']['stage_note']}\n{update['plan']['note']}"
    found, problems = parse_plan(plan, f"{obj['id']}.plan")
    if problems or found is None:
        raise ValueError(f"the 2026 plan data of {obj['id']}: {problems}")
    del out["plan"]
    out["plan"] = to_data(found)  # the key order the project file reader writes
    return out


def build_objects() -> list[dict]:
    objects = []
    for row in _rows(OBJECTS_CSV):
        direct, indirect, other = split_municipalities(row["municipalities"])
        cost_text = row["cost_msek"]
        cost_basis = row["cost_basis"]
        if "-" in cost_text:  # a range such as "15000-15800": use the upper end, keep the text
            low, high = cost_text.split("-")
            cost = _number(high)
            cost_basis = f"Spann {low}–{high} MSEK. {cost_basis}"
        else:
            cost = _number(cost_text) if cost_text else None
        committed = "COMMITTED" in row["funding_status"]
        illustrative = cost is None and not committed
        if illustrative:
            cost = ILLUSTRATIVE_COST_MSEK[row["id"]]
            known = _in_swedish(cost_basis) if re.search(r"\d", cost_basis) else ""  # SOD-03's old estimate
            cost_basis = (f"Exempeldata: påhittad kostnad inom kostnadsklass {row['cost_class']} (även klassen "
                          f"är illustrativ), utan källa." + (f" Underlag: {known}" if known else ""))
        # the research's marker decides the status; it is not shown as Swedish text (issue 11 #11)
        funding = re.sub(r"\s*(\(COMMITTED[^)]*\)|–\s*COMMITTED)\s*$", "", row["funding_status"])
        objects.append(
            {
                "id": row["id"],
                "name": row["name_sv"],
                "name_en": row["name_en"],
                "status": "committed" if committed else "candidate",
                "municipalities": direct,
                "indirect_municipalities": indirect,
                "other_municipalities": other,
                "mode": row["mode"],
                "fyrsteg_step": int(row["fyrsteg_step"]),
                "description": _in_swedish(row["description_sv"]),
                "cost": cost,
                "cost_class": int(row["cost_class"]),
                "cost_basis": _in_swedish(cost_basis),
                **({"cost_illustrative": True} if illustrative else {}),
                "planning_status": _in_swedish(row["planning_status"]),
                "maturity_c11": int(row["maturity_c11"]),
                "plan_channel": row["plan_channel"],
                "funding_status": _in_swedish(funding),
                "lat": _number(row["lat"]),
                "lon": _number(row["lon"]),
                "coord_precision": row["coord_precision"],
                "data_quality": row["data_quality"],
                "sources": row["sources"].split(";"),
            }
        )
    return [plan_2026(o) for o in objects]


def _ascii_id(name: str) -> str:
    return name.lower().translate(str.maketrans("åäö", "aao"))


def build_participants() -> list[dict]:
    return [
        {
            "id": f"p-{_ascii_id(m)}",
            "name": f"Tjänsteperson {m} (exempel)",
            "organisation": ORGANISATIONS[m],
        }
        for m in MEMBER_MUNICIPALITIES
    ]


# Statuses are data, not computed: the 2023/24 process and the anchors before the research date
# (2026-11-26) have happened; E10-E12 are expected but not confirmed by the research.
MILESTONE_STATUS = {**{f"M{k:02d}": "done" for k in range(10)}, **{f"E{k:02d}": "done" for k in range(1, 10)},
                    "E10": "planned", "E11": "planned", "E12": "planned"}
UNCONFIRMED_NOTE = "Väntat enligt källan men inte bekräftat i underlaget; markera som klar när det är bekräftat."
DECISION_MILESTONE = "M09"
MILESTONE_LINKS = {"M04": {"phases": ["1"]}, "M07": {"phases": ["2"]}}  # scoring workshops 1 and 2


# The research's milestone "basis" in Swedish, as the timeline and the PDF show it (issue 11 #11);
# a source number (S8, S7;S8, ...) is kept as it is
MILESTONE_SOURCE_SV = {
    "minutes": "protokoll",
    "[ILL] proposal": "förslag (illustrativt)",
    "minutes (date) + [ILL] content": "protokoll (datum); innehållet illustrativt",
    "minutes (spring/summer)": "protokoll (vår/sommar)",
    "minutes (after summer)": "protokoll (efter sommaren)",
    "minutes (winter 2023/24)": "protokoll (vintern 2023/24)",
    "[GK] typical ~3-month remiss – deadline not found": "ej verifierat: remisstiden brukar vara ca 3 månader; "
                                                          "sista dag ej funnen",
    "[GK]": "ej verifierat (allmän kännedom)",
    "S12 (dates not found)": "S12 (datum ej funna)",
    "S11 (expected)": "S11 (väntat)",
    "S13 ('klar 2026')": "S13 (”klar 2026”)",
}


def build_milestones() -> list[dict]:
    out = []
    for row in _rows(MILESTONES_CSV):
        m = {
            "id": row["id"],
            "title_sv": row["title_sv"],
            "title_en": row["title_en"],
            "start": row["date_start"],
            "end": row["date_end"],
            "precision": row["precision"],
            "owner": row["owner"],
            "type": row["type"],
            "depends_on": [d for d in row["depends_on"].split(";") if d],
            "status": MILESTONE_STATUS[row["id"]],
        }
        if row["id"] == DECISION_MILESTONE:
            m["decision"] = True
        if m["status"] == "planned":
            m["note"] = UNCONFIRMED_NOTE
        m["source"] = MILESTONE_SOURCE_SV.get(row["basis"], _in_swedish(row["basis"]))
        if row["id"] in MILESTONE_LINKS:
            m["links"] = MILESTONE_LINKS[row["id"]]
        out.append(m)
    return out


# Follow-up (bevakning) of the committed Tvärförbindelse Södertörn. Each step is named by the
# object's planning_status / funding_status or by research/domain.md (sections 1.4, 1.5, 5.2);
# only the month is known. The responsible body is illustrative (Exempeldata).
FOLLOW_UP = [
    {
        "object": "SOD-01",
        "responsible": "Trafiknätverket (exempel)",
        "note": "Exempeldata: stegen bygger på objektets planeringsläge och källorna; ansvarig är påhittad. "
                "Planeringsläge: upphandling och miljödom 2024, byggstart ej registrerad. Planerad öppning för "
                "trafik 2033 (N30, konsults referenssida).",
        "steps": [
            {"step": "avs_done", "date": "2014-01-01", "precision": "month",
             "note": "Åtgärdsvalsstudie genomförd; Södertörnskommunernas yttrande januari 2014", "source": "S38b"},
            {"step": "national_plan", "date": "2022-06-01", "precision": "month",
             "note": "Fullt finansierad i nationell plan 2022–2033 (fastställd juni 2022)", "source": "S62"},
            {"step": "plan_approved", "date": "2024-01-01", "precision": "month",
             "note": "Vägplan laga kraft jan 2024 när regeringen avslog överklagandena; regeringens byggstartsbeslut",
             "source": "S63"},
        ],
    }
]


def individual_scores(
    objects: list[dict], participants: list[dict]
) -> tuple[np.ndarray, np.ndarray]:
    """Perturbed ratings (participants × objects × criteria) and the "vet ej" mask.

    See the module docstring for the method. Columns in CONSENSUS_CRITERIA are filled but unused.
    """
    object_ids, criterion_ids, demo = demo_score_table()
    if object_ids != [o["id"] for o in objects]:
        raise ValueError("demo score table and object list disagree")
    n_part, (n_obj, n_crit) = len(participants), demo.shape
    rng = np.random.default_rng(SEED)
    u_step = rng.random((n_part, n_obj, n_crit))
    u_unknown = rng.random((n_part, n_obj, n_crit))

    p_minus = np.full(u_step.shape, STEP_P)
    p_plus = np.full(u_step.shape, STEP_P)
    advocacy_cols = [criterion_ids.index(c) for c in ADVOCACY_CRITERIA]
    for k, municipality in enumerate(MEMBER_MUNICIPALITIES):
        for i, obj in enumerate(objects):
            if municipality in obj["municipalities"]:
                p_minus[k, i, advocacy_cols] = ADVOCACY_PROBS[0]
                p_plus[k, i, advocacy_cols] = ADVOCACY_PROBS[2]
    step = np.where(u_step < p_minus, -1, np.where(u_step >= 1.0 - p_plus, 1, 0))
    ratings = np.clip(demo[None, :, :] + step, *SCALE)

    unknown = u_unknown < UNKNOWN_P
    empty = unknown.all(axis=0)
    if empty.any():
        keep = np.argmax(u_unknown, axis=0)  # the participant least likely to be unknown
        for i, j in zip(*np.nonzero(empty), strict=True):
            unknown[keep[i, j], i, j] = False
    return ratings, unknown


def build_scores(objects: list[dict], participants: list[dict]) -> list[dict]:
    _, criterion_ids, demo = demo_score_table()
    ratings, unknown = individual_scores(objects, participants)
    scores = []
    for i, obj in enumerate(objects):
        for j, crit in enumerate(criterion_ids):
            if crit in CONSENSUS_CRITERIA:
                scores.append(
                    {
                        "object": obj["id"],
                        "criterion": crit,
                        "participant": None,
                        "value": int(demo[i, j]),
                        "comment": CONSENSUS_COMMENT,
                    }
                )
                continue
            for k, part in enumerate(participants):
                value = None if unknown[k, i, j] else int(ratings[k, i, j])
                scores.append(
                    {"object": obj["id"], "criterion": crit, "participant": part["id"], "value": value}
                )
    return scores


# Illustrative tiers [ILL]: a facilitator's choice, not a decision of the committee
TIERS = {"levels": [{"label": "A", "through_rank": 4}, {"label": "B", "through_rank": 9}, {"label": "C"}]}


# --- the committee's round after the summer (issue 13): municipal input stage, Exempeldata ------------
# Everything below is invented to show the input stage (milestone M06, "kommunernas enskilda behov och
# önskemål"): no municipality has given these points, proposals or wishes. Every text says "(exempeldata)"
# because a reader could take it for a municipality's real position. The drafts, stances and the decision
# refer to frozen versions and are made by the app's seeding, not written here.
COMMITTEE_WINDOW = {"milestone": "M06",  # M06 is the season band 2023-09-01 .. 2023-10-31
                    "opened_at": "2023-09-04T06:00:00+00:00",  # 08:00 Swedish summer time
                    "closed_at": "2023-09-29T14:00:00+00:00"}  # 16:00, before scoring workshop 2 (M07)
# illustrative settings: s = 0.3 as NCDOT's Regional Impact split 70/30 (plan-round-2026.md §4)
LOCAL_POINTS = {"budget": 100, "cap": 40, "share": 0.3}
EX = " (exempeldata)"

# (municipality, object, points, rationale): each municipality favours objects in its territory (the
# objects' municipalities and indirect_municipalities) or, for Nykvarn and Salem with one own object
# or none, in a neighbour it commutes through (NEAR); both leave points unused
ALLOCATIONS = [
    ("Botkyrka", "SOD-09", 40, "Expressbussen och bussbron knyter ihop Hallunda, Fittja och Flemingsberg"),
    ("Botkyrka", "SOD-11", 30, "Regionalt cykelstråk genom kommunen mot Liljeholmen"),
    ("Botkyrka", "SOD-07", 20, "Säkrare väg 225 genom Grödinge"),
    ("Botkyrka", "SOD-08", 10, "Flemingsberg är bytespunkt också för Botkyrkabor"),
    ("Haninge", "SOD-03", 40, "Dubbelspår söderut ger pålitligare pendeltåg och plats för godståg"),
    ("Haninge", "SOD-06", 30, "Väg 73 är kommunens infart mot Stockholm"),
    ("Haninge", "SOD-10", 30, "Expressbussen ger snabbare resor mellan Handen och Tyresö"),
    ("Huddinge", "SOD-02", 40, "Spårvägen är en förutsättning för planerade bostäder"),
    ("Huddinge", "SOD-08", 40, "Flemingsberg är regional stadskärna; bytespunkten är central"),
    ("Huddinge", "SOD-09", 20, "Tvärgående buss till Huddinge C och Flemingsberg"),
    ("Nykvarn", "SOD-13", 40, "Dubbelspåret är avgörande för pendlingen från Nykvarn"),
    ("Nykvarn", "SOD-04", 25, "Södertäljebron är flaskhals för resor norrut"),
    ("Nykvarn", "SOD-14", 15, "Godsnoden i Södertälje berör det lokala näringslivet"),
    ("Nynäshamn", "SOD-03", 40, "Enkelspåret till Nynäshamn är störningskänsligt"),
    ("Nynäshamn", "SOD-07", 40, "Tung trafik från hamnen på väg 225 kräver säkrare väg"),
    ("Nynäshamn", "SOD-06", 20, "Väg 73 är huvudvägen mot Stockholm"),
    ("Salem", "SOD-15", 40, "Fler ska kunna ta pendeltåget från Rönninge"),
    ("Salem", "SOD-04", 30, "E4/E20 är Salems huvudled; kapaciteten vid Södertälje påverkar kommunen"),
    ("Salem", "SOD-13", 20, "Bättre kapacitet i spårsystemet väster om Södertälje"),
    ("Södertälje", "SOD-04", 40, "Broarna är en flaskhals och sårbara vid påkörningar"),
    ("Södertälje", "SOD-05", 30, "En andra passage över kanalen behövs för robustheten"),
    ("Södertälje", "SOD-14", 20, "Hamnens järnvägsanslutning stärker godsnoden"),
    ("Södertälje", "SOD-13", 10, "Kapacitet på Svealandsbanan mot Nykvarn"),
    ("Tyresö", "SOD-10", 40, "Expressbussen är Tyresös snabbaste väg till spårtrafik"),
    ("Tyresö", "SOD-09", 35, "Direktbuss västerut mot Huddinge och Flemingsberg"),
    ("Tyresö", "SOD-06", 25, "Väg 73 och Gudöbroleden berör resorna från Tyresö"),
]

# One accepted (it became SOD-15, already scored in the example), one declined with a reason, one
# still awaiting the facilitator; no links, since none of this exists
PROPOSALS = [
    {"id": "F-salem-1", "municipality": "Salem", "name": "Bytespunkt och pendlarparkering Rönninge",
     "need": "Infartsparkeringen och cykelparkeringen vid Rönninge station räcker inte för dem som vill byta "
             "till pendeltåget" + EX,
     "location": "Rönninge station, Salem", "mode": "node+P&R", "cost": 95, "plan_channel": "municipal",
     "status": "accepted", "object": "SOD-15", "submitted_at": "2023-09-11T09:30:00+00:00"},
    {"id": "F-botkyrka-1", "municipality": "Botkyrka", "name": "Trafiksäkerhetsåtgärder på lokalgator i Tumba",
     "need": "Hastighetsdämpande åtgärder och säkrare skolvägar på kommunala gator" + EX,
     "location": "Tumba, Botkyrka", "mode": "road", "cost": 12, "plan_channel": "municipal",
     "status": "declined",
     "reason": "En kommunal åtgärd utan regional koppling: den hör hemma i kommunens egen "
               "trafiksäkerhetsplan, inte i Södertörns gemensamma lista" + EX,
     "submitted_at": "2023-09-18T12:00:00+00:00"},
    {"id": "F-nykvarn-1", "municipality": "Nykvarn", "name": "Pendlarparkering och cykelanslutning vid Nykvarns station",
     "need": "Fler ska kunna ta tåget från Nykvarn; parkering och gång- och cykelvägar till stationen behöver "
             "byggas ut" + EX,
     "location": "Nykvarns station", "mode": "node+P&R", "cost": 40, "plan_channel": "regional",
     "status": "proposed", "submitted_at": "2023-09-27T13:15:00+00:00"},
]

NEAR = {"Nykvarn": ("Södertälje",), "Salem": ("Södertälje", "Botkyrka")}  # neighbours (general knowledge)

WISHES = [
    ("Huddinge", "SOD-08", "Samordna bytespunkten med spårvägens hållplats så att bytet blir kort"),
    ("Haninge", "SOD-10", "Ta med säkra gång- och cykelpassager längs Gudöbroleden"),
    ("Nynäshamn", "SOD-07", "Börja med de korsningar och hållplatser där olycksrisken är störst"),
    ("Södertälje", "SOD-05", "Redovisa både tunnel och bro som alternativ i underlaget"),
]

# Every candidate passes the default checklist except SOD-15, let through against it (nothing is parked:
# the example's ranking stays as it is)
LET_THROUGH = {"SOD-15": (["need"], "Behovet är beskrivet i Salems förslag men ännu inte dokumenterat i SUP, "
                                    "RUFS, ÅVS eller kommunens plan. Släpps igenom så att workshopen kan bedöma "
                                    "objektet; underlaget kompletteras till nästa omgång" + EX)}


def default_checklist() -> list[dict]:
    """The default screening checklist, ids and texts as the app's (prioritization.committee.model)."""
    from prioritization.committee.model import DEFAULT_CHECKLIST  # the repository is on the path (editable install)

    return [{"id": cid, "text": sv, "text_en": en} for cid, sv, en in DEFAULT_CHECKLIST]


def build_committee(objects: list[dict]) -> dict:
    """The ``committee`` section, keys and records in the order the project file reader writes them
    (prioritization.committee.fileformat), so the example survives a load and save byte for byte."""
    ids = {m: _ascii_id(m) for m in MEMBER_MUNICIPALITIES}
    by_id = {o["id"]: o for o in objects}
    candidates = [o["id"] for o in objects if o["status"] == "candidate"]
    spent: dict[str, int] = {}
    for m, oid, points, _ in ALLOCATIONS:  # the example must stay a valid, plausible input
        involved = set(by_id[oid]["municipalities"] + by_id[oid]["indirect_municipalities"])
        if oid not in candidates or not 1 <= points <= LOCAL_POINTS["cap"] or not {m, *NEAR.get(m, ())} & involved:
            raise ValueError(f"implausible allocation {m} -> {oid}: {points}")
        spent[m] = spent.get(m, 0) + points
    if set(spent) != set(MEMBER_MUNICIPALITIES) or max(spent.values()) > LOCAL_POINTS["budget"]:
        raise ValueError(f"allocations: every municipality within the budget, got {spent}")
    return {
        "municipalities": [{"id": ids[m], "name": m} for m in MEMBER_MUNICIPALITIES],
        "input_window": dict(COMMITTEE_WINDOW),
        "local_points": dict(LOCAL_POINTS),
        "allocations": [{"municipality": ids[m], "object": oid, "points": points, "rationale": text + EX}
                        for m, oid, points, text in ALLOCATIONS],
        "proposals": [{**p, "municipality": ids[p["municipality"]]} for p in PROPOSALS],
        "wishes": [{"municipality": ids[m], "object": oid, "text": text + EX} for m, oid, text in WISHES],
        "checklist": default_checklist(),
        "screening": [{"object": oid, "outcome": "let_through", "failed": LET_THROUGH[oid][0],
                       "reason": LET_THROUGH[oid][1]} if oid in LET_THROUGH else {"object": oid, "outcome": "passed"}
                      for oid in candidates],
    }


def build_project() -> dict:
    criteria = build_criteria()
    profiles = build_weight_profiles()
    objects = build_objects()
    participants = build_participants()
    active = next(p for p in profiles if p["id"] == "P0")
    return {
        "format": "prioritization-project",
        "version": 1,
        "name": NAME,
        "description": DESCRIPTION,
        "data_label": DATA_LABEL,
        "criteria": criteria,
        "weights": json.loads(json.dumps(active["weights"])),
        "weight_profiles": profiles,
        "objects": objects,
        "tiers": TIERS,
        "participants": participants,
        "scores": build_scores(objects, participants),
        "aggregation": "mean",
        "milestones": build_milestones(),
        "follow_up": FOLLOW_UP,
        "committee": build_committee(objects),
    }


def render(project: dict) -> str:
    return json.dumps(project, ensure_ascii=False, indent=2) + "\n"


def write(path: Path = OUTPUT) -> Path:
    path = Path(path)
    path.write_bytes(render(build_project()).encode("utf-8"))
    return path


def _in_swedish(text: str | None) -> str | None:
    """The research's markers in words a Swedish reader meets on the scoring page (issue 11 #11):
    "[ILL]" -> "(illustrativt)", "[ILL-tröskel]" -> "(illustrativ tröskel)", "[INF]" -> "(slutsats, ej
    källa)", "[GK]" -> "(ej verifierat)", "sourced:" -> "enligt källa:", a leading "unknown" -> "okänd". The
    illustrative label stays; only its language changes."""
    if not text:
        return text
    for marker, words in (("[ILL-tröskel]", "(illustrativ tröskel)"), ("[ILL]", "(illustrativt)"),
                          ("[INF]", "(slutsats, ej källa)"), ("[GK]", "(ej verifierat)"),
                          ("sourced:", "enligt källa:")):
        text = text.replace(marker, words)
    return re.sub(r"^unknown\b", "okänd", text)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1:
        print("usage: generate_example.py [OUTPUT.json]", file=sys.stderr)
        return 2
    path = write(Path(args[0]) if args else OUTPUT)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
