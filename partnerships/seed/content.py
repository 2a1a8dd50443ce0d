"""The facts of the four source documents, as seed content.

Where a source points at something it does not contain (a plan's full text, a contact
address, a video), the placeholder text here says so and the object's placeholder note
tells editors what to replace.
"""

import datetime

ORGANISATIONS = {
    # name: type
    "NHS South East London Clinical Commissioning Group": "nhs_commissioner",
    "Royal Borough of Greenwich": "council",
    "Oxleas NHS Foundation Trust": "nhs_trust",
    "Greenwich Health": "gp_federation",
    "Greenwich Primary Care Networks": "pcn",
    "Healthwatch Greenwich": "healthwatch",
    "Lewisham and Greenwich NHS Trust": "nhs_trust",
    "METRO GAVS": "voluntary",
    "NHS Lewisham Clinical Commissioning Group": "nhs_commissioner",
    "Lewisham Council": "council",
    "One Health Lewisham": "gp_federation",
    "South London and Maudsley NHS Foundation Trust": "nhs_trust",
    "Lewisham Local Medical Committee": "professional",
    "NHS England (London)": "nhs_england",
    "Southwark Council": "council",
}

BOROUGHS = ["Bexley", "Bromley", "Greenwich", "Lambeth", "Lewisham", "Southwark"]

# The sources name NHS South East London CCG, whose duties passed to the integrated care board in July 2022.
DATA_CONTROLLER = "NHS South East London Integrated Care Board"
DATA_PROTECTION_NOTE = (
    "Data protection: confirm the data controller with the information governance team and add the data "
    "protection officer's email."
)

PARTNERSHIPS = [
    {
        "key": "partnership:greenwich",
        "name": "Healthier Greenwich Alliance",
        "slug": "greenwich",
        "kind": "local",
        "borough": "Greenwich",
        "display_order": 1,
        "summary": (
            "Greenwich's local care partnership: health and social care partners working together so "
            "residents get the help they need when they need it."
        ),
        "about": (
            "<p>Our Local Care Partnership is called Healthier Greenwich Alliance, which formally reports into "
            "the Health &amp; Wellbeing Board. It brings together Greenwich partners in health and social care.</p>"
        ),
        "reports_into": "Health & Wellbeing Board",
        "priorities_introduction": (
            "We have agreed the following priorities. Working together in a joined-up way means we can "
            "coordinate services better. This will help residents to get the help they need when they need it."
        ),
        "contact_name": "Russell Cartwright",
        "placeholder_note": "The source page gives no contact email for Russell Cartwright: add it.",
        "members": [
            ("NHS South East London Clinical Commissioning Group", "Greenwich"),
            ("Royal Borough of Greenwich", "Public Health, Adults, Children & Young People"),
            ("Oxleas NHS Foundation Trust", "Community Services and Mental Health provider"),
            ("Greenwich Health", "GP Federation"),
            ("Greenwich Primary Care Networks", "Primary Care Network Clinical Directors"),
            ("Healthwatch Greenwich", ""),
            ("Lewisham and Greenwich NHS Trust", ""),
            ("METRO GAVS", "Voluntary sector"),
        ],
        "aims": [
            "Improve health and care services which meet local needs.",
            "Empower people to take better care of their own health and reduce their dependency on services.",
            "Provide support from health and care professionals who act as one team and work for "
            "organisations that behave as one system.",
            "Improve performance of local services.",
            "Reduce duplication. Enable more people to be cared for in the community.",
        ],
        "videos": [
            {
                "title": "Integrated care in every community",
                "transcript": (
                    "Placeholder transcript. The source page embeds this video but does not include its "
                    "transcript. Replace this text with everything said and shown in the video."
                ),
                "placeholder_note": "Add the YouTube video ID and the real transcript.",
            }
        ],
        "plans": [
            {
                "title": "Draft Covid-19 recovery and reset plan",
                "slug": "recovery-and-reset-plan",
                "stage": "draft",
                "summary": (
                    "How health and care services in Greenwich plan to work with local people over the next "
                    "18 months to learn from Covid-19 and accelerate some of the positive changes put in place."
                ),
                "executive_summary": (
                    "<p>Placeholder executive summary: the source page links to the executive summary but does "
                    "not include its text. Replace this with the executive summary of the draft plan.</p>"
                ),
                "body": (
                    "<h2>Help shape how Greenwich's health and care services recover</h2>"
                    "<p>Covid-19 has affected nearly every aspect of our daily lives. Never before have our health "
                    "and care services faced such an overwhelming challenge, or had to respond or adapt so "
                    "quickly. Health and care services in Greenwich are working together through the Healthier "
                    "Greenwich Alliance and have developed a draft recovery and reset plan which outlines how, "
                    "over the next 18 months, we plan to work with local people to learn from Covid-19 and "
                    "accelerate some of the positive changes put in place.</p>"
                    "<p>Please read through the executive summary of the draft plan and send your views on 4 key "
                    "questions by completing our short survey. The partners are also keen for local residents to "
                    "get involved in developing the details of the plan over the coming months.</p>"
                    "<p>If you would like more information you can read a more detailed summary of the draft "
                    "plan. If you would like us to hold an online discussion about this, or if you are part of a "
                    "group who are meeting virtually and would find a discussion about this helpful, please "
                    "contact Russell Cartwright.</p>"
                ),
                "placeholder_note": "Executive summary and the detailed summary document are placeholders.",
                "documents": [
                    {
                        "kind": "summary",
                        "title": "More detailed summary of the draft recovery and reset plan",
                        "filename": "greenwich-recovery-and-reset-plan-detailed-summary.pdf",
                        "placeholder_note": "Placeholder PDF: upload the real detailed summary.",
                    }
                ],
            }
        ],
    },
    {
        "key": "partnership:lewisham",
        "name": "Lewisham Health and Care Partners",
        "slug": "lewisham",
        "kind": "local",
        "borough": "Lewisham",
        "display_order": 2,
        "summary": (
            "A partnership of the main health and care commissioners and providers in Lewisham, working "
            "together for a healthier Lewisham."
        ),
        "about": (
            "<p>Lewisham Health and Care Partners (LHCP) is a partnership of the main health and care "
            "commissioners and providers in Lewisham.</p>"
            "<p>LHCP provide system-wide leadership, strategic direction and a collective view on the "
            "transformational change required in health and care across Lewisham.</p>"
            "<p>The partnership's Executive Board is chaired by Martin Wilkinson.</p>"
        ),
        "members": [
            ("NHS Lewisham Clinical Commissioning Group", ""),
            ("Lewisham Council", ""),
            ("One Health Lewisham", ""),
            ("South London and Maudsley NHS Foundation Trust", ""),
            ("Lewisham and Greenwich NHS Trust", ""),
            ("Lewisham Local Medical Committee", ""),
        ],
    },
    {
        "key": "partnership:southwark",
        "name": "Partnership Southwark",
        "slug": "southwark",
        "kind": "local",
        "borough": "Southwark",
        "display_order": 3,
        "summary": (
            "Southwark's health and care partnership, working with and for our communities to join up services, "
            "tackle the causes of inequality and improve health and wellbeing."
        ),
        "vision": (
            "To enable every part of the health and care system in Southwark to make the borough an amazing "
            "place to be born, live a full, healthy life and spend one's final years."
        ),
        "about": (
            "<p>The partnership brought together a range of health and care organisations with a view to "
            "working together with non-statutory providers and service users/carers in our communities, to "
            "better join up services and support; tackle the causes of inequality; improve the health and "
            "wellbeing of Southwark residents.</p>"
        ),
        "established_on": datetime.date(2019, 5, 1),
        "operating_status": "active",
        "status_explanation": (
            "We paused Partnership Southwark arrangements in March 2020, so we could free up our partner "
            "organisations to focus on the response to the COVID-19 pandemic. We are standing the partnership "
            "back up through the recovery plan approved in September 2020."
        ),
        "history": (
            "<p>Partnership Southwark was established in May 2019, building on our work to integrate care "
            "through local care networks.</p>"
            "<p>During 19/20, we started to develop programmes focused on children and young people, working "
            "age adults, frailty and care homes. While the partnership faced challenges in moving from concept "
            "to delivery, and transitioning from a focus on services to populations and communities – at the "
            "beginning of 2020 we were starting to lay strengthened foundations for our work as a "
            "partnership.</p>"
            "<p>We paused Partnership Southwark arrangements in March 2020, so we could free up our partner "
            "organisations to focus on the response to the COVID-19 pandemic. A lot of joint work continued "
            "based on our pre-existing relationships and COVID-19 response arrangements; however, we recognise "
            "that at times, there were gaps in our approach.</p>"
        ),
        "placeholder_note": "The source page gives no contact address (“You can contact us at”): add one.",
        "plans": [
            {
                "title": "Partnership Southwark recovery plan",
                "slug": "recovery-plan",
                "stage": "approved",
                "approved_on": datetime.date(2020, 9, 1),
                "approving_bodies": ["NHS South East London Clinical Commissioning Group", "Southwark Council"],
                "summary": (
                    "How we will stand the partnership back up through the lens of recovery, approved in "
                    "September 2020. Have your say on how it should be developed and brought to life."
                ),
                "executive_summary": (
                    "<p>In September 2020, the Partnership Southwark recovery plan was approved by NHS South East "
                    "London Clinical Commissioning Group and Southwark Council. Here you can read more about the "
                    "background to the plan, the full version, the summary and also have your say on how it "
                    "should be developed and brought to life.</p>"
                ),
                "body": (
                    "<h2>Introducing the plan</h2>"
                    "<p>We have reflected on what is needed to stand the partnership back up through the lens of "
                    "recovery – while COVID-19 has resulted in a new normal, the principles of integration and "
                    "taking a population health approach hold strong. We have therefore sought to re-frame our "
                    "partnership priorities through a refreshed quadruple aim to deliver value based health and "
                    "care.</p>"
                    "<p>We know that if we are to do right by the people of Southwark, we need to be committed to "
                    "working in a partnership that works with and for our communities. This will require us to be "
                    "more agile, decisive and inclusive as a partnership, take a more targeted and outcomes "
                    "oriented approach to addressing health and care inequalities at place and neighbourhood "
                    "level, and explore new ways of working to improve access to the most vulnerable.</p>"
                    "<h2>Share your views</h2>"
                    "<p>As this work develops, we will be reaching out to community groups across the borough to "
                    "try and work together to gather their views and listen to the concerns of people in "
                    "Southwark.</p>"
                ),
                "placeholder_note": "The plan and summary PDFs are placeholders: upload the real documents.",
                "documents": [
                    {
                        "kind": "full",
                        "title": "Partnership Southwark recovery plan",
                        "filename": "partnership-southwark-recovery-plan.pdf",
                        "placeholder_note": "Placeholder PDF: upload the real plan.",
                    },
                    {
                        "kind": "summary",
                        "title": "Summary of the Partnership Southwark recovery plan",
                        "filename": "partnership-southwark-recovery-plan-summary.pdf",
                        "placeholder_note": "Placeholder PDF: upload the real summary.",
                    },
                ],
            }
        ],
    },
    {
        "key": "partnership:our-healthier-south-east-london",
        "name": "Our Healthier South East London",
        "slug": "our-healthier-south-east-london",
        "kind": "strategy",
        "boroughs": BOROUGHS,
        "display_order": 4,
        "summary": (
            "The health and care strategy for Bexley, Bromley, Greenwich, Lambeth, Lewisham and Southwark, "
            "led by NHS providers and Clinical Commissioning Groups."
        ),
        "about": (
            "<p>Our Healthier South East London is a health and care strategy led by a partnership of NHS "
            "providers and Clinical Commissioning Groups serving the boroughs of Bexley, Bromley, Greenwich, "
            "Lambeth, Lewisham and Southwark, working with NHS England (London).</p>"
            "<p>The strategy is being developed with local councils, primary and community care services, the "
            "six borough Healthwatch organisations and local people and patients.</p>"
            "<p>The strategy aims to improve health, reduce health inequalities and ensure the provision of "
            "services that meet safety and quality standards consistently and are sustainable in the longer "
            "term.</p>"
            "<p>A key component of this is to develop a strong foundation of community based care to support "
            "people to live healthier lives, make services more joined up and make sure that everyone gets the "
            "care and outcomes they expect from their NHS.</p>"
            "<p>To find out more, to read the case for change, or to discover events to participate in and "
            "other ways to contribute your views, visit the programme website. You can also follow "
            "@ourhealthiersel for the latest programme news.</p>"
        ),
        "website_url": "https://www.ourhealthiersel.nhs.uk",
        "priorities_introduction": (
            "The focus is on achieving improvements in physical and mental health in six key areas."
        ),
        "members": [("NHS England (London)", "Works with the partnership")],
        "focus_areas": [
            "Community based care",
            "Maternity",
            "Children and young people",
            "Cancer",
            "Planned care",
            "Urgent and emergency care",
        ],
        "case_for_change_introduction": (
            "In Lewisham and the rest of south east London we have some very good health services. People are "
            "living longer and many people are healthier.\n\nBut there are a number of issues that need to be "
            "addressed:"
        ),
        "case_for_change": [
            "Too many people live with preventable ill health or die too early",
            "The outcomes from care vary significantly and high quality care is not available all the time",
            "We don't always treat people early enough to have the best results",
            "People's experience of care is variable and can be much better",
            "Patients tell us that their care is not joined up between different services",
            "The money to pay for the NHS is limited and need is continually increasing",
            "Every one of us pays for the NHS and we have a responsibility to spend this money well",
        ],
    },
]
