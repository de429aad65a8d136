using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Pmh.Contracts.Identifiers;
using Pmh.Contracts.Subsidy;
using Pmh.Hosting.Privacy;
using Pmh.Identity.Cards;
using Pmh.Modules.Batches;
using Pmh.Subsidy.Publishing;

namespace Pmh.Fuzz;

/// <summary>
/// One thing fuzzed: the code a hostile byte string reaches, and which exceptions are its documented refusals (they
/// become 4xx at the edge). Any other exception is a finding: it would be a 500.
/// </summary>
internal interface IFuzzTarget
{
    string Name { get; }

    /// <summary>The folder under corpus/ whose files seed the mutations.</summary>
    string Corpus { get; }

    /// <summary>Tokens worth inserting (field separators, dates at the edges, byte order marks, …).</summary>
    IReadOnlyList<byte[]> Dictionary { get; }

    void Run(ReadOnlySpan<byte> input);

    bool IsDocumentedRefusal(Exception exception);
}

/// <summary>
/// A subsidy-certificate CSV upload, as the gateway handles it: the shared decoder and the CSV reader, every row's
/// validation, and for each valid row the conversion to the bus item (which crashed on certificationDetail parts
/// before issue 14), then the rejections written back as CSV. Refusals: <see cref="MalformedBatchException"/>
/// (400) and <see cref="UnsupportedBatchEncodingException"/> (415).
/// </summary>
internal sealed class SubsidyCsvTarget : IFuzzTarget
{
    private static readonly MunicipalityCode Chiyoda = MunicipalityCode.Parse("131016");
    private readonly SubsidyCertificates _kind = new(new PersonKeys(FuzzSecret()), TimeProvider.System);

    public string Name => "subsidy-csv";

    public string Corpus => "csv";

    public IReadOnlyList<byte[]> Dictionary { get; } =
    [
        .. new[]
        {
            ",", "\"", "\"\"", "\n", "\r\n", "\r", ";", "=", ";;", "=;", "a=b", "自己負担なし", "0001-01-01", "9999-12-31", "1900-01-01",
            "2100-12-31", "null", "-", "+", "@", "＝", "\t", " ", "123456789012", "2147483648", "-1", "0", "1",
            "certificationDetail", "designatedMedicalInstitutions", "maxCopaymentAmount.monthlyYen", "basicFiveInfo.dateOfBirth",
            "historyKey", "myNumber", "validFrom", "validTo",
        }.Select(System.Text.Encoding.UTF8.GetBytes),
        [0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0xFE, 0xFF], [0xFF, 0xFE, 0x00, 0x00], [0x00], [0xFF], [0xC3, 0x28], [0x82, 0xA0],
        [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x00, 0xD8],
    ];

    public void Run(ReadOnlySpan<byte> input)
    {
        var batch = ((IBatchKind<SubsidyCertificateRow, SubsidyCertificate>)_kind).ReadCsv(input.ToArray(), "fuzz");
        var rejections = new List<RowRejection>(batch.Unreadable);
        for (var index = 0; index < batch.Rows.Count; index++)
        {
            var row = batch.Rows[index];
            if (row is null)
            {
                continue;
            }

            var result = _kind.Validator.Validate(row);
            if (!result.IsValid)
            {
                rejections.AddRange(result.Errors.Select(e => new RowRejection(index, e.PropertyName, e.ErrorMessage)));
                continue;
            }

            _ = _kind.UniqueKey(row);
            _ = _kind.Convert(Chiyoda, row);
        }

        _ = RejectionsCsv.Write(rejections);
    }

    public bool IsDocumentedRefusal(Exception exception) => exception is MalformedBatchException;

    private static HubSecret FuzzSecret() =>
        HubSecret.FromConfiguration(
            new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { [HubSecret.ConfigurationKey] = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 1)).ToArray()) })
                .Build(),
            new FuzzEnvironment());

    private sealed class FuzzEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Fuzz";

        public string ApplicationName { get; set; } = "Pmh.Fuzz";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}

/// <summary>
/// A card certificate as the identity service checks it (<see cref="CertificateChecker.Check"/>: DER parse, exact
/// encoding, RSA key, chain to the trusted issuer CA, validity), and the DN and serial normalisers revocations use,
/// on the same bytes read as text. It has no refusal by exception: a bad certificate is a <see cref="CertificateCheck"/>
/// with a rejection reason.
/// </summary>
internal sealed class CardCertificateTarget(X509Certificate2 issuerCa) : IFuzzTarget
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly CertificateChecker _checker = new(new TrustedIssuers([issuerCa]), new MemoryCache(new MemoryCacheOptions { SizeLimit = 10_000 }));

    public string Name => "card-certificate";

    public string Corpus => "certificate";

    public IReadOnlyList<byte[]> Dictionary { get; } =
    [
        [0x30, 0x82], [0x30, 0x80], [0x00, 0x00], [0x02, 0x01, 0x00], [0x05, 0x00], [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B],
        [0x17, 0x0D], [0x18, 0x0F], [0xA0, 0x03, 0x02, 0x01, 0x02], [0x01, 0x01, 0xFF], [0x03, 0x82, 0x01, 0x0F, 0x00], [0xFF, 0xFF, 0xFF, 0xFF],
        "-----BEGIN CERTIFICATE-----\n"u8.ToArray(), "CN="u8.ToArray(), ", O="u8.ToArray(),
    ];

    public void Run(ReadOnlySpan<byte> input)
    {
        var der = input.ToArray();
        var check = _checker.Check(der, Now);
        if (check.Facts is null && check.Rejection is null)
        {
            throw new InvalidOperationException("A check with neither facts nor a rejection.");
        }

        var text = System.Text.Encoding.UTF8.GetString(der);
        _ = CertificateChecker.NormalizeSerial(text);
        _ = CertificateChecker.NormalizeIssuer(text);
    }

    public bool IsDocumentedRefusal(Exception exception) => false;
}
