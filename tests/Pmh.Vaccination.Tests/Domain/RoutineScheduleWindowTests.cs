using Pmh.Vaccination.Domain;
using static Pmh.Vaccination.Domain.ScheduleStatus;
using static Pmh.Vaccination.Tests.Domain.ScheduleFixtures;

namespace Pmh.Vaccination.Tests.Domain;

/// <summary>
/// Every funded window at its edges: the day before it opens (NotYetDue), the first day and the last day (Due), the day
/// after (PastWindow, or the next stage when the series has one). Infants are born on 2025-05-15 unless said. A window
/// 「生後N月から」 / 「N歳以上」 opens on the day before the anniversary (年齢計算ニ関スル法律); 「生後N月に至るまで」 /
/// 「N歳未満」 closes on the day before the anniversary.
/// </summary>
public class RoutineScheduleWindowTests
{
    private const string Born = "2025-05-15";

    public static TheoryData<string, string, string, string, ScheduleStatus, int?, string?, string?> Edges => new()
    {
        // series, birth, doses given, service date, expected status, next dose, due from, due until
        // Hib and PCV: 生後2月 (reached 2025-07-14, the day before the anniversary) to 生後60月に至るまで (last day
        // 2030-05-14). After 60 months Hib is still funded as a 5-in-1 dose, up to 生後90月に至るまで.
        { "HIB", Born, "", "2025-07-13", NotYetDue, 1, "2025-07-14", "2030-05-14" },
        { "HIB", Born, "", "2025-07-14", Due, 1, "2025-07-14", "2030-05-14" },
        { "HIB", Born, "", "2025-07-15", Due, 1, "2025-07-14", "2030-05-14" },
        { "HIB", Born, "", "2030-05-14", Due, 1, "2025-07-14", "2030-05-14" },
        { "HIB", Born, "", "2030-05-15", Due, 1, "2025-07-14", "2032-11-14" },
        { "HIB", Born, "", "2032-11-15", PastWindow, 1, null, "2032-11-14" },
        { "PCV", Born, "", "2025-07-13", NotYetDue, 1, "2025-07-14", "2030-05-14" },
        { "PCV", Born, "", "2025-07-14", Due, 1, "2025-07-14", "2030-05-14" },
        { "PCV", Born, "", "2030-05-14", Due, 1, "2025-07-14", "2030-05-14" },
        { "PCV", Born, "", "2030-05-15", PastWindow, 1, null, "2030-05-14" },

        // Hepatitis B and BCG: from birth to 1歳に至るまで (last day 2026-05-14).
        { "HEPB", Born, "", Born, Due, 1, Born, "2026-05-14" },
        { "HEPB", Born, "", "2026-05-14", Due, 1, Born, "2026-05-14" },
        { "HEPB", Born, "", "2026-05-15", PastWindow, 1, null, "2026-05-14" },
        { "BCG", Born, "", Born, Due, 1, Born, "2026-05-14" },
        { "BCG", Born, "", "2026-05-14", Due, 1, Born, "2026-05-14" },
        { "BCG", Born, "", "2026-05-15", PastWindow, 1, null, "2026-05-14" },

        // Rotavirus: from 6 weeks (2025-06-26); Rotarix to 24 weeks 0 days (2025-10-30), RotaTeq to 32 weeks 0 days (2025-12-25).
        { "ROTA", Born, "", "2025-06-25", NotYetDue, 1, "2025-06-26", "2025-10-30" },
        { "ROTA", Born, "", "2025-06-26", Due, 1, "2025-06-26", "2025-10-30" },
        { "ROTA", Born, "", "2025-10-31", Due, 1, "2025-06-26", "2025-12-25" },
        { "ROTA", Born, "", "2025-12-25", Due, 1, "2025-06-26", "2025-12-25" },
        { "ROTA", Born, "", "2025-12-26", PastWindow, 1, null, "2025-12-25" },
        { "ROTA", Born, "ROTA-1@2025-07-01", "2025-10-30", Due, 2, "2025-07-29", "2025-10-30" },
        { "ROTA", Born, "ROTA-1@2025-07-01", "2025-10-31", PastWindow, 2, null, "2025-10-30" },
        { "ROTA", Born, "ROTA-5@2025-07-01; ROTA-5@2025-08-01", "2025-12-25", Due, 3, "2025-08-29", "2025-12-25" },
        { "ROTA", Born, "ROTA-5@2025-07-01; ROTA-5@2025-08-01", "2025-12-26", PastWindow, 3, null, "2025-12-25" },

        // DPT-IPV: 生後2月 (2025-07-14) to 生後90月に至るまで (last day 2032-11-14).
        { "DPT-IPV", Born, "", "2025-07-13", NotYetDue, 1, "2025-07-14", "2032-11-14" },
        { "DPT-IPV", Born, "", "2025-07-14", Due, 1, "2025-07-14", "2032-11-14" },
        { "DPT-IPV", Born, "", "2032-11-14", Due, 1, "2025-07-14", "2032-11-14" },
        { "DPT-IPV", Born, "", "2032-11-15", PastWindow, 1, null, "2032-11-14" },

        // MR stage 1: 生後12月 (the day before the 1st birthday) to the day before the 2nd; missing it leaves stage 2 ahead.
        { "MR", Born, "", "2026-05-13", NotYetDue, 1, "2026-05-14", "2027-05-14" },
        { "MR", Born, "", "2026-05-14", Due, 1, "2026-05-14", "2027-05-14" },
        { "MR", Born, "", "2026-05-15", Due, 1, "2026-05-14", "2027-05-14" },
        { "MR", Born, "", "2027-05-14", Due, 1, "2026-05-14", "2027-05-14" },
        { "MR", Born, "", "2027-05-15", NotYetDue, 2, "2031-04-01", "2032-03-31" },

        // MR stage 2: the fiscal year before primary school (reaches 6 on 2031-05-14: fiscal year 2031).
        { "MR", Born, "MR@2026-06-01", "2031-03-31", NotYetDue, 2, "2031-04-01", "2032-03-31" },
        { "MR", Born, "MR@2026-06-01", "2031-04-01", Due, 2, "2031-04-01", "2032-03-31" },
        { "MR", Born, "MR@2026-06-01", "2032-03-31", Due, 2, "2031-04-01", "2032-03-31" },
        { "MR", Born, "MR@2026-06-01", "2032-04-01", PastWindow, 2, null, "2032-03-31" },

        // Born on 1 April: reaches 6 on 31 March and starts school a year earlier, so stage 2 is a year earlier.
        { "MR", "2025-04-01", "MR@2026-06-01", "2030-04-01", Due, 2, "2030-04-01", "2031-03-31" },
        { "MR", "2025-04-02", "MR@2026-06-01", "2030-04-01", NotYetDue, 2, "2031-04-01", "2032-03-31" },

        // Varicella: 生後12月 (the day before the 1st birthday) to the day before the 3rd birthday.
        { "VAR", Born, "", "2026-05-13", NotYetDue, 1, "2026-05-14", "2028-05-14" },
        { "VAR", Born, "", "2026-05-14", Due, 1, "2026-05-14", "2028-05-14" },
        { "VAR", Born, "", "2028-05-14", Due, 1, "2026-05-14", "2028-05-14" },
        { "VAR", Born, "", "2028-05-15", PastWindow, 1, null, "2028-05-14" },

        // Japanese encephalitis stage 1: 生後6月 (2025-11-14) to 生後90月に至るまで; stage 2: 9歳以上 (the day before the 9th
        // birthday) to 13歳未満 (the day before the 13th).
        { "JE", Born, "", "2025-11-13", NotYetDue, 1, "2025-11-14", "2032-11-14" },
        { "JE", Born, "", "2025-11-14", Due, 1, "2025-11-14", "2032-11-14" },
        { "JE", Born, "", "2032-11-14", Due, 1, "2025-11-14", "2032-11-14" },
        { "JE", Born, "", "2032-11-15", NotYetDue, 4, "2034-05-14", "2038-05-14" },
        { "JE", Born, "JE@2028-05-15; JE@2028-05-22; JE@2029-05-15", "2034-05-13", NotYetDue, 4, "2034-05-14", "2038-05-14" },
        { "JE", Born, "JE@2028-05-15; JE@2028-05-22; JE@2029-05-15", "2034-05-14", Due, 4, "2034-05-14", "2038-05-14" },
        { "JE", Born, "JE@2028-05-15; JE@2028-05-22; JE@2029-05-15", "2038-05-14", Due, 4, "2034-05-14", "2038-05-14" },
        { "JE", Born, "JE@2028-05-15; JE@2028-05-22; JE@2029-05-15", "2038-05-15", PastWindow, 4, null, "2038-05-14" },

        // DT stage 2: 11歳以上 (the day before the 11th birthday) to the day before 13.
        { "DT", Born, "", "2036-05-13", NotYetDue, 1, "2036-05-14", "2038-05-14" },
        { "DT", Born, "", "2036-05-14", Due, 1, "2036-05-14", "2038-05-14" },
        { "DT", Born, "", "2038-05-14", Due, 1, "2036-05-14", "2038-05-14" },
        { "DT", Born, "", "2038-05-15", PastWindow, 1, null, "2038-05-14" },

        // HPV: born 2014-05-15, from the fiscal year reaching 12 (2026) to the end of the one reaching 16 (2030).
        { "HPV", "2014-05-15", "", "2026-03-31", NotYetDue, 1, "2026-04-01", "2031-03-31" },
        { "HPV", "2014-05-15", "", "2026-04-01", Due, 1, "2026-04-01", "2031-03-31" },
        { "HPV", "2014-05-15", "", "2031-03-31", Due, 1, "2026-04-01", "2031-03-31" },
        { "HPV", "2014-05-15", "", "2031-04-01", PastWindow, 1, null, "2031-03-31" },

        // Influenza and COVID-19 from 65歳以上 (reached 2026-10-09, the day before the 65th birthday), one dose in each
        // fiscal year.
        { "FLU", "1961-10-10", "", "2026-10-08", NotYetDue, 1, "2026-10-09", "2027-03-31" },
        { "FLU", "1961-10-10", "", "2026-10-09", Due, 1, "2026-10-09", "2027-03-31" },
        { "FLU", "1961-10-10", "", "2027-03-31", Due, 1, "2026-10-09", "2027-03-31" },
        { "FLU", "1961-10-10", "", "2027-04-01", Due, 1, "2027-04-01", "2028-03-31" },
        { "COVID", "1961-10-10", "", "2026-10-08", NotYetDue, 1, "2026-10-09", "2027-03-31" },
        { "COVID", "1961-10-10", "", "2026-10-09", Due, 1, "2026-10-09", "2027-03-31" },

        // Adult pneumococcal: 65歳の者, the day before the 65th birthday to the day before the 66th.
        { "PNEUMO", "1961-10-10", "", "2026-10-08", NotYetDue, 1, "2026-10-09", "2027-10-09" },
        { "PNEUMO", "1961-10-10", "", "2026-10-09", Due, 1, "2026-10-09", "2027-10-09" },
        { "PNEUMO", "1961-10-10", "", "2027-10-09", Due, 1, "2026-10-09", "2027-10-09" },
        { "PNEUMO", "1961-10-10", "", "2027-10-10", PastWindow, 1, null, "2027-10-09" },

        // Zoster: the fiscal year in which the person reaches 65 (born 1961-05-10: fiscal year 2026).
        { "ZOSTER", "1961-05-10", "", "2026-03-31", NotYetDue, 1, "2026-04-01", "2027-03-31" },
        { "ZOSTER", "1961-05-10", "", "2026-04-01", Due, 1, "2026-04-01", "2027-03-31" },
        { "ZOSTER", "1961-05-10", "", "2027-03-31", Due, 1, "2026-04-01", "2027-03-31" },
        { "ZOSTER", "1961-05-10", "", "2027-04-01", PastWindow, 1, null, "2027-03-31" },
    };

    [Theory]
    [MemberData(nameof(Edges))]
    public void A_window_opens_on_its_first_day_and_closes_after_its_last(
        string series, string birth, string doses, string service, ScheduleStatus status, int? nextDose, string? from, string? until)
    {
        var eligibility = Evaluate(series, birth, service, doses);

        Assert.Equal(Expect(status, nextDose, from, until), Shape(eligibility));
    }
}
