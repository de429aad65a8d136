using System.Text.Json;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Validation;
using Pmh.Vaccination.Fhir;

namespace Pmh.Vaccination.Tests.Fhir;

public class ImmunizationBundleTests
{
    private const string PersonRef = "inst-42:person-7f3a";
    private static readonly DateTimeOffset GeneratedAt = new(2025, 4, 1, 9, 30, 15, 250, TimeSpan.FromHours(9));

    private static readonly ImmunizationEntry Mr1 = new(
        "MR", "麻しん風しん混合ワクチン", "620008601", 1, new DateOnly(2021, 6, 10),
        "Y123A", "1312345678", "routineA", "rec-0001");

    private static readonly ImmunizationEntry Mr2 = new(
        "MR", "麻しん風しん混合ワクチン", "620008601", 2, new DateOnly(2025, 3, 3),
        "Y987B", "1398765432", "routineA", "rec-0002");

    private static readonly ImmunizationEntry Influenza = new(
        "INFLUENZA", "インフルエンザHAワクチン", null, 1, new DateOnly(2024, 11, 2),
        null, null, "voluntary", "rec-0003");

    private static readonly ImmunizationEntry Pcv = new(
        "PPSV23", "23価肺炎球菌莢膜ポリサッカライドワクチン", "621234501", 1, new DateOnly(2023, 10, 20),
        "PN-001", "2712340005", "routineB", "rec-0004");

    private static readonly ImmunizationEntry[] All = [Mr1, Influenza, Mr2, Pcv];

    private static Bundle RoundTrip(IEnumerable<ImmunizationEntry> entries, string personRef = PersonRef) =>
        ImmunizationBundle.Parse(ImmunizationBundle.ToJson(ImmunizationBundle.Create(personRef, entries, GeneratedAt)));

    private static Immunization ImmunizationOf(Bundle bundle, string recordId) =>
        bundle.Entry.Select(e => e.Resource).OfType<Immunization>().Single(i => i.Id == recordId);

    [Fact]
    public void The_JSON_parses_back_into_a_collection_bundle_with_the_generation_timestamp()
    {
        var bundle = RoundTrip(All);

        Assert.Equal(Bundle.BundleType.Collection, bundle.Type);
        Assert.Equal(GeneratedAt, bundle.Timestamp);
        Assert.Equal(4, bundle.Entry.Count);
        Assert.All(bundle.Entry, e => Assert.IsType<Immunization>(e.Resource));
    }

    [Fact]
    public void Every_field_of_an_entry_survives_the_JSON_round_trip()
    {
        foreach (var entry in All)
        {
            var immunization = ImmunizationOf(RoundTrip(All), entry.RecordId);

            Assert.Equal(entry.RecordId, immunization.Id);
            Assert.NotNull(immunization.Meta);
            Assert.Equal([FhirSystems.JpImmunizationProfile], immunization.Meta.Profile);
            Assert.Equal(Immunization.ImmunizationStatusCodes.Completed, immunization.Status);

            Assert.Equal(entry.VaccineName, immunization.VaccineCode.Text);
            var hub = Assert.Single(immunization.VaccineCode.Coding, c => c.System == FhirSystems.HubVaccine);
            Assert.Equal(entry.Vaccine, hub.Code);
            Assert.Equal(entry.VaccineName, hub.Display);
            Assert.Equal(entry.Hot9, immunization.VaccineCode.Coding.SingleOrDefault(c => c.System == FhirSystems.Hot9)?.Code);

            Assert.Null(immunization.Patient.Reference);
            Assert.NotNull(immunization.Patient.Identifier);
            Assert.Equal(FhirSystems.HubInstitutionPersonRef, immunization.Patient.Identifier.System);
            Assert.Equal(PersonRef, immunization.Patient.Identifier.Value);

            var occurrence = Assert.IsType<FhirDateTime>(immunization.Occurrence);
            Assert.Equal(entry.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), occurrence.Value);

            Assert.Equal(entry.LotNumber, immunization.LotNumber);

            var protocol = Assert.Single(immunization.ProtocolApplied);
            Assert.Equal(entry.DoseNumber, Assert.IsType<PositiveInt>(protocol.DoseNumber).Value);

            var programme = Assert.Single(Assert.Single(immunization.ProgramEligibility).Coding);
            Assert.Equal(FhirSystems.HubVaccinationProgramme, programme.System);
            Assert.Equal(entry.Programme, programme.Code);

            if (entry.PerformerInstitutionCode is null)
            {
                Assert.Empty(immunization.Performer);
            }
            else
            {
                var actor = Assert.Single(immunization.Performer).Actor;
                Assert.Null(actor.Reference);
                Assert.NotNull(actor.Identifier);
                Assert.Equal(FhirSystems.InsuranceMedicalInstitutionNo, actor.Identifier.System);
                Assert.Equal(entry.PerformerInstitutionCode, actor.Identifier.Value);
            }
        }
    }

    [Fact]
    public void The_HOT9_coding_comes_first_when_known_and_is_left_out_when_not()
    {
        var bundle = RoundTrip(All);

        var mr = ImmunizationOf(bundle, Mr1.RecordId).VaccineCode.Coding;
        Assert.Equal([FhirSystems.Hot9, FhirSystems.HubVaccine], mr.Select(c => c.System));
        Assert.Equal("620008601", mr[0].Code);

        var flu = Assert.Single(ImmunizationOf(bundle, Influenza.RecordId).VaccineCode.Coding);
        Assert.Equal(FhirSystems.HubVaccine, flu.System);
        Assert.Equal("INFLUENZA", flu.Code);
    }

    [Fact]
    public void Entries_are_ordered_newest_first_by_date_then_by_dose_number()
    {
        var sameDay = Mr2 with { Vaccine = "DPT-IPV-HIB", VaccineName = "5種混合ワクチン", DoseNumber = 3, RecordId = "rec-0005" };

        var ids = RoundTrip([.. All, sameDay]).Entry.Select(e => e.Resource?.Id);

        Assert.Equal(["rec-0005", "rec-0002", "rec-0003", "rec-0004", "rec-0001"], ids);
    }

    [Fact]
    public void Programme_codes_carry_the_Japanese_programme_names()
    {
        var bundle = RoundTrip(All);

        string? Display(ImmunizationEntry e) =>
            ImmunizationOf(bundle, e.RecordId).ProgramEligibility[0].Coding[0].Display;

        Assert.Equal("定期接種（A類疾病）", Display(Mr1));
        Assert.Equal("定期接種（B類疾病）", Display(Pcv));
        Assert.Equal("任意接種", Display(Influenza));
    }

    [Fact]
    public void The_occurrence_is_written_as_a_date_without_time()
    {
        var json = ImmunizationBundle.ToJson(ImmunizationBundle.Create(PersonRef, [Mr1], GeneratedAt));

        using var doc = JsonDocument.Parse(json);
        var resource = doc.RootElement.GetProperty("entry")[0].GetProperty("resource");
        Assert.Equal("2021-06-10", resource.GetProperty("occurrenceDateTime").GetString());
        Assert.Equal(1, resource.GetProperty("protocolApplied")[0].GetProperty("doseNumberPositiveInt").GetInt32());
    }

    [Fact]
    public void An_entry_without_lot_performer_or_HOT9_produces_no_empty_elements()
    {
        var json = ImmunizationBundle.ToJson(ImmunizationBundle.Create(PersonRef, [Influenza], GeneratedAt));

        using var doc = JsonDocument.Parse(json);
        var resource = doc.RootElement.GetProperty("entry")[0].GetProperty("resource");
        Assert.False(resource.TryGetProperty("lotNumber", out _));
        Assert.False(resource.TryGetProperty("performer", out _));
        Assert.Equal(1, resource.GetProperty("vaccineCode").GetProperty("coding").GetArrayLength());
        AssertNoEmptyValues(doc.RootElement, "$");
    }

    [Fact]
    public void Blank_optional_values_are_treated_as_absent()
    {
        var blank = Influenza with { Hot9 = " ", LotNumber = "", PerformerInstitutionCode = "  " };

        var immunization = ImmunizationOf(RoundTrip([blank]), blank.RecordId);

        Assert.Single(immunization.VaccineCode.Coding);
        Assert.Null(immunization.LotNumber);
        Assert.Empty(immunization.Performer);
    }

    [Fact]
    public void The_bundle_passes_strict_parsing_and_the_SDK_structural_validation()
    {
        var bundle = ImmunizationBundle.Create(PersonRef, All, GeneratedAt);
        var json = ImmunizationBundle.ToJson(bundle);

        Assert.Empty(bundle.Validate());
        var parsed = FhirJsonDeserializer.STRICT.Deserialize<Bundle>(json);
        Assert.Empty(parsed.Validate());
        Assert.True(parsed.IsExactly(bundle));
    }

    [Fact]
    public void Parse_rejects_JSON_that_is_not_valid_FHIR()
    {
        var json = ImmunizationBundle.ToJson(ImmunizationBundle.Create(PersonRef, [Mr1], GeneratedAt))
            .Replace("\"completed\"", "\"done\"", StringComparison.Ordinal);

        Assert.Throws<DeserializationFailedException>(() => ImmunizationBundle.Parse(json));
    }

    [Fact]
    public void No_twelve_digit_number_appears_that_was_not_in_the_input()
    {
        var json = ImmunizationBundle.ToJson(ImmunizationBundle.Create(PersonRef, All, GeneratedAt));

        Assert.Empty(TwelveDigitRuns(json));
        Assert.Single(Regex.Matches(json, Regex.Escape(PersonRef)).Select(m => m.Value).Distinct());
    }

    [Fact]
    public void Only_the_given_patient_reference_identifies_the_person()
    {
        const string numericRef = "123456789012";

        var bundle = RoundTrip(All, numericRef);
        var json = ImmunizationBundle.ToJson(bundle);

        Assert.Equal([numericRef], TwelveDigitRuns(json).Distinct());
        Assert.All(bundle.Entry.Select(e => Assert.IsType<Immunization>(e.Resource)), i =>
        {
            Assert.Equal(numericRef, i.Patient.Identifier?.Value);
            Assert.Null(i.Patient.Reference);
        });
    }

    [Fact]
    public void Full_urls_are_deterministic_UUID_v5_values_of_the_record_id()
    {
        var first = ImmunizationBundle.Create(PersonRef, All, GeneratedAt);
        var second = ImmunizationBundle.Create("someone-else", All, GeneratedAt.AddDays(1));

        // uuid.uuid5(uuid.NAMESPACE_URL, "urn:pmh-hub:immunization:rec-0001")
        Assert.Equal("urn:uuid:2a65e362-d3b1-5d31-ae1b-98d8393f0bce", ImmunizationBundle.FullUrlOf("rec-0001"));
        Assert.Equal(first.Entry.Select(e => e.FullUrl), second.Entry.Select(e => e.FullUrl));
        Assert.Equal(first.Entry.Count, first.Entry.Select(e => e.FullUrl).Distinct().Count());
        Assert.All(first.Entry, e => Assert.Equal(ImmunizationBundle.FullUrlOf(e.Resource!.Id!), e.FullUrl));
    }

    [Fact]
    public void An_empty_history_is_an_empty_collection_bundle()
    {
        var bundle = RoundTrip([]);

        Assert.Equal(Bundle.BundleType.Collection, bundle.Type);
        Assert.Empty(bundle.Entry);
    }

    [Fact]
    public void Duplicate_record_ids_are_rejected()
    {
        Assert.Throws<ArgumentException>(() =>
            ImmunizationBundle.Create(PersonRef, [Mr1, Mr2 with { RecordId = Mr1.RecordId }], GeneratedAt));
    }

    [Fact]
    public void A_dose_number_below_one_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            ImmunizationBundle.Create(PersonRef, [Mr1 with { DoseNumber = 0 }], GeneratedAt));
    }

    [Fact]
    public void A_blank_patient_reference_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => ImmunizationBundle.Create(" ", All, GeneratedAt));
    }

    private static IEnumerable<string> TwelveDigitRuns(string json) =>
        Regex.Matches(json, @"(?<![\w-])\d{12}(?![\w-])").Select(m => m.Value);

    private static void AssertNoEmptyValues(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                Assert.True(element.EnumerateObject().Any(), $"empty object at {path}");
                foreach (var property in element.EnumerateObject())
                {
                    AssertNoEmptyValues(property.Value, $"{path}.{property.Name}");
                }
                break;
            case JsonValueKind.Array:
                Assert.True(element.GetArrayLength() > 0, $"empty array at {path}");
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    AssertNoEmptyValues(item, $"{path}[{index++}]");
                }
                break;
            case JsonValueKind.String:
                Assert.False(string.IsNullOrWhiteSpace(element.GetString()), $"empty string at {path}");
                break;
            case JsonValueKind.Null:
                Assert.Fail($"null at {path}");
                break;
        }
    }
}
