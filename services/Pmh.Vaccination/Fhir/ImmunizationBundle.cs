using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Pmh.Vaccination.Fhir;

/// <summary>Builds, serializes and parses a person's vaccination history as a FHIR R4 Bundle of JP Core-style Immunizations.</summary>
public static class ImmunizationBundle
{
    /// <summary>Media type of <see cref="ToJson"/> output.</summary>
    public const string MediaType = "application/fhir+json";

    // RFC 4122 URL namespace; the name hashed into each entry's UUID v5 is "urn:pmh-hub:immunization:{RecordId}".
    private static readonly Guid UrlNamespace = new("6ba7b811-9dad-11d1-80b4-00c04fd430c8");

    // Firely SDK 6: FhirJsonSerializer / FhirJsonDeserializer are the System.Text.Json based (de)serializers;
    // FhirJsonParser and the *Poco* (de)serializers are obsolete. Both instances are thread-safe and reused.
    private static readonly FhirJsonSerializer Serializer = new();
    private static readonly FhirJsonDeserializer Deserializer = FhirJsonDeserializer.STRICT;

    /// <summary>
    /// A FHIR R4 Bundle (type "collection") of JP Core-style Immunization resources for one person, newest first
    /// (by date, then dose number, both descending).
    /// </summary>
    /// <param name="patientReference">Opaque institution-specific person reference; carried as the patient identifier. Never a My Number.</param>
    /// <param name="entries">Doses to include; record ids must be unique.</param>
    /// <param name="generatedAt">Bundle timestamp.</param>
    public static Bundle Create(string patientReference, IEnumerable<ImmunizationEntry> entries, DateTimeOffset generatedAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(patientReference);
        ArgumentNullException.ThrowIfNull(entries);

        var ordered = entries
            .Select(Checked)
            .OrderByDescending(e => e.Date)
            .ThenByDescending(e => e.DoseNumber)
            .ThenBy(e => e.RecordId, StringComparer.Ordinal)
            .ToList();

        var duplicate = ordered.GroupBy(e => e.RecordId, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Duplicate immunization record id '{duplicate.Key}'.", nameof(entries));
        }

        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Collection,
            Timestamp = generatedAt,
        };
        foreach (var entry in ordered)
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = FullUrlOf(entry.RecordId),
                Resource = ToImmunization(patientReference, entry),
            });
        }
        return bundle;
    }

    /// <summary>The bundle as compact application/fhir+json text.</summary>
    public static string ToJson(Bundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return Serializer.SerializeToString(bundle);
    }

    /// <summary>Parses FHIR JSON into a Bundle with the SDK's strict settings; throws <see cref="DeserializationFailedException"/> on any issue.</summary>
    public static Bundle Parse(string json)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(json);
        return Deserializer.Deserialize<Bundle>(json);
    }

    /// <summary>"urn:uuid:" + a UUID v5 derived from the record id, stable across exports.</summary>
    /// <summary>
    /// The resource id: the record id itself when it is a valid FHIR id ([A-Za-z0-9-.]{1,64}), otherwise a stable
    /// digest of it (register record ids carry the municipality's own keys, which may hold other characters). The
    /// record id is always kept as the resource's identifier.
    /// </summary>
    public static string FhirIdOf(string recordId) =>
        System.Text.RegularExpressions.Regex.IsMatch(recordId, "^[A-Za-z0-9\\-.]{1,64}$")
            ? recordId
            : "r-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(recordId)))[..32];

    public static string FullUrlOf(string recordId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recordId);
        return "urn:uuid:" + NameBasedGuid(UrlNamespace, FhirSystems.HubImmunizationNamePrefix + recordId).ToString("D");
    }

    private static Immunization ToImmunization(string patientReference, ImmunizationEntry entry)
    {
        var vaccineCode = new CodeableConcept { Text = entry.VaccineName };
        if (Present(entry.Hot9) is { } hot9)
        {
            vaccineCode.Coding.Add(new Coding(FhirSystems.Hot9, hot9));
        }
        vaccineCode.Coding.Add(new Coding(FhirSystems.HubVaccine, entry.Vaccine, entry.VaccineName));

        var immunization = new Immunization
        {
            Id = FhirIdOf(entry.RecordId),
            Identifier = [new Identifier(FhirSystems.HubVaccinationRecord, entry.RecordId)],
            Meta = new Meta { Profile = [FhirSystems.JpImmunizationProfile] },
            Status = Immunization.ImmunizationStatusCodes.Completed,
            VaccineCode = vaccineCode,
            Patient = new ResourceReference
            {
                Type = "Patient",
                Identifier = new Identifier(FhirSystems.HubInstitutionPersonRef, patientReference),
            },
            Occurrence = new FhirDateTime(entry.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            LotNumber = Present(entry.LotNumber),
            ProgramEligibility =
            [
                new CodeableConcept
                {
                    Coding = [new Coding(FhirSystems.HubVaccinationProgramme, entry.Programme, VaccinationProgrammes.DisplayOf(entry.Programme))],
                },
            ],
            ProtocolApplied = [new Immunization.ProtocolAppliedComponent { DoseNumber = new PositiveInt(entry.DoseNumber) }],
        };

        if (Present(entry.PerformerInstitutionCode) is { } institution)
        {
            immunization.Performer.Add(new Immunization.PerformerComponent
            {
                Actor = new ResourceReference
                {
                    Type = "Organization",
                    Identifier = new Identifier(FhirSystems.InsuranceMedicalInstitutionNo, institution),
                },
            });
        }
        return immunization;
    }

    private static ImmunizationEntry Checked(ImmunizationEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Vaccine);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.VaccineName);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Programme);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.RecordId);
        ArgumentOutOfRangeException.ThrowIfLessThan(entry.DoseNumber, 1);
        return entry;
    }

    private static string? Present(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    // RFC 4122 §4.3 name-based UUID, version 5 (SHA-1). SHA-1 is the algorithm the RFC prescribes; it is used as an
    // identifier hash here, not for any security purpose.
    private static Guid NameBasedGuid(Guid ns, string name)
    {
        var input = new byte[16 + Encoding.UTF8.GetByteCount(name)];
        ns.TryWriteBytes(input, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, input.AsSpan(16));

#pragma warning disable CA5350 // RFC 4122 version 5 UUIDs are defined on SHA-1; not a security use.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350

        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
