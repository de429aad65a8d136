using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Pmh.Testing.BadInput;

/// <summary>
/// One change to a request that would succeed. <see cref="Invalid"/> is set only where the request is certainly wrong
/// afterwards (the hub must refuse it with a 4xx); otherwise the hub may accept or refuse, but never answer 5xx.
/// <see cref="Target"/> names what it changes (a field, the body, the key, a route value): a case changes each at most once.
/// </summary>
public sealed record BadInputMutation(string Label, string Target, bool Invalid, Action<BadInputRequest> Apply)
{
    public bool ReplacesBody => Target == BadInputMutations.BodyTarget;

    public override string ToString() => Label;
}

/// <summary>The mutations of each operation: its fields' wrong values, broken bodies, keys, route and query values, methods.</summary>
public static class BadInputMutations
{
    public const string BodyTarget = "(body)";

    private static readonly string Long100K = new('7', 100_000);
    private static readonly string Text1M = new('あ', 1_000_000);

    public static IReadOnlyList<BadInputMutation> For(BadInputOperation operation, BadInputSession session)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(session);
        var list = new List<BadInputMutation> { new("as valid", "(none)", false, _ => { }) };
        foreach (var field in operation.Fields)
        {
            list.AddRange(FieldMutations(operation, field, session));
        }

        if (operation.HasJsonBody)
        {
            list.AddRange(JsonBodyMutations());
        }
        else if (operation.IsCsv)
        {
            list.AddRange(CsvMutations());
        }
        else
        {
            list.Add(new("an unexpected JSON body", BodyTarget, false, r => Raw(r, "{\"x\":1}", "application/json")));
        }

        list.AddRange(KeyMutations(operation));
        foreach (var parameter in operation.RouteParameters)
        {
            list.AddRange(RouteMutations(parameter));
        }

        foreach (var parameter in operation.NumericQuery)
        {
            // A cursor is a 64-bit sequence, a limit a 32-bit count.
            var values = parameter == "after" ? new[] { "abc", "", "0x10", "1.5", "99999999999999999999", "%00", "1%2C2" } : ["abc", "", "0x10", "1.5", "2147483648", "99999999999999999999", "%00", "1%2C2"];
            foreach (var value in values)
            {
                list.Add(new($"?{parameter}={value}", "?" + parameter, true, r => SetQuery(r, parameter, value)));
            }

            list.Add(new($"?{parameter} twice", "?" + parameter, true, r => { SetQuery(r, parameter, "0"); r.Query.Add(parameter + "=5"); }));
        }

        list.Add(new("an unknown query parameter", "?zzz", false, r => r.Query.Add("zzz=%00%27%22")));
        if (operation.IsBatch)
        {
            foreach (var value in new[] { "%00", new string('b', 3000), "..%2F..%2Fetc", "%F0%9F%98%80" })
            {
                list.Add(new("?batchId=" + value[..Math.Min(20, value.Length)], "?batchId", false, r => { SetQuery(r, "batchId", value); r.BatchId = null; }));
            }
        }

        list.Add(new("method PATCH", "(method)", true, r => r.Method = "PATCH"));
        list.Add(new("method PUT", "(method)", true, r => r.Method = "PUT"));
        return list;
    }

    private static IEnumerable<BadInputMutation> FieldMutations(BadInputOperation operation, BadInputField field, BadInputSession session)
    {
        // A field of a batch row: its outcome is a rejected row, not a refused request.
        var certain = !field.InRow;
        var path = field.Path;
        BadInputMutation Set(string label, JsonNode? value, bool invalid) =>
            new($"{path}: {label}", path, invalid && certain, r => SetField(r, path, value?.DeepClone()));

        yield return new($"{path}: missing", path, field.Required && certain, r => RemoveField(r, path));
        yield return Set("null", null, field.Required);
        var scalar = field.Kind is not (FieldKind.Consent or FieldKind.Rows);
        yield return Set("an object", new JsonObject { ["x"] = 1 }, scalar);
        yield return Set("an array", new JsonArray(1, "2"), scalar || field.Kind == FieldKind.Consent);
        yield return Set("true", true, false);

        var strict = field.Kind is FieldKind.Date or FieldKind.Integer or FieldKind.Code or FieldKind.MyNumber or FieldKind.Choice or FieldKind.Base64 or FieldKind.Reference or FieldKind.Decimal;
        yield return new($"{path}: a NUL appended", path, strict && certain, r => AppendToField(r, path, "\u0000"));
        yield return new($"{path}: control characters appended", path, strict && certain, r => AppendToField(r, path, "\u001b[31m\u0007"));
        yield return Set("100 KB", Long100K, strict);
        yield return Set("a lone surrogate", "\ud800", strict);
        yield return Set("an empty string", "", field.Required);

        switch (field.Kind)
        {
            case FieldKind.Date:
                foreach (var value in new[] { "2026-02-30", "2026-13-01", "26-04-01", "2026/04/01", "yesterday", "2026-4-1" })
                {
                    yield return Set(value, value, true);
                }

                foreach (var value in new[] { "0001-01-01", "9999-12-31" })
                {
                    yield return Set(value, value, field.Plausible);
                }

                yield return Set("a date-time", "2026-04-01T00:00:00+09:00", false);
                yield return Set("a number", 20260401, false);
                break;
            case FieldKind.Integer:
                foreach (var value in new[] { "abc", "1.5", "99999999999999999999", "1e3", "0x10", "١٢" })
                {
                    yield return Set(value, value, true);
                }

                yield return Set("1.5 as a number", 1.5, true);
                yield return Set("1e30 as a number", JsonNode.Parse("1e30"), true);
                yield return Set("-1", -1, field.NonNegative);
                yield return Set("\"-1\"", "-1", field.NonNegative);
                break;
            case FieldKind.Decimal:
                yield return Set("abc", "abc", true);
                yield return Set("NaN", "NaN", true);
                yield return Set("-1", -1, false);
                yield return Set("1e308", JsonNode.Parse("1e308"), false);
                yield return Set("a string number", "58.2", false);
                break;
            case FieldKind.Code:
                yield return Set("letters", "abcdef", true);
                yield return Set("too short", "12", true);
                yield return Set("too long", "13101600000000", true);
                yield return Set("a number", 131016, false);
                if (path == "municipalityCode")
                {
                    // The person is in Chiyoda's register: a dose may not be sent to another municipality.
                    yield return Set("another municipality than the person's", TestData.Hachioji, true);
                }

                break;
            case FieldKind.MyNumber:
                yield return Set("letters", "12345678901X", true);
                yield return Set("too short", "1234", true);
                yield return new($"{path}: a wrong check digit", path, certain, r => ChangeCheckDigit(r, path));
                yield return Set("a number", 123456789012, true);
                break;
            case FieldKind.Choice:
                foreach (var value in new[] { "NOPE", "ZZZ-1", "routine A" })
                {
                    yield return Set(value, value, true);
                }

                yield return Set("99", 99, true);
                yield return Set("-1", -1, true);
                break;
            case FieldKind.Base64:
                yield return Set("not base64", "!!not base64!!", true);
                yield return Set("three zero bytes", "AAAA", true);
                yield return Set("random bytes", Convert.ToBase64String(RandomNumberGeneratorBytes(256)), true);
                if (operation.Name == "card registration" && path == "certificate")
                {
                    yield return Set("the issuer's CA certificate", Convert.ToBase64String(session.Target.Cards.IssuerCa.RawData), true);
                }

                break;
            case FieldKind.Reference:
                yield return Set("unknown", Guid.NewGuid().ToString(), true);
                yield return Set("SQL", "' OR '1'='1", true);
                break;
            case FieldKind.Id:
                yield return Set("a path", "../../etc/passwd", false);
                yield return Set("SQL", "'; DROP TABLE receipts; --", false);
                yield return Set("emoji", "😀🏥", false);
                yield return Set("a number", 12345, false);
                break;
            case FieldKind.Text:
                yield return Set("1 MB", Text1M, true);
                yield return Set("a formula", "=HYPERLINK(\"http://x\",\"y\")", false);
                yield return Set("markup", "<script>alert(1)</script>", false);
                break;
            case FieldKind.Consent:
                yield return Set("a string", "yes", true);
                yield return Set("a non-boolean kind", new JsonObject { ["subsidy"] = "maybe" }, false);
                yield return Set("no kinds", new JsonObject(), false);
                yield return Set("200 keys of 1 KB", ManyKeys(), false);
                break;
            case FieldKind.Rows:
                yield return Set("a string", "rows", scalar || !field.InRow);
                yield return Set("an empty list", new JsonArray(), false);
                yield return Set("a list of null", new JsonArray((JsonNode?)null), false);
                yield return Set("a list of numbers", new JsonArray(1, 2), false);
                yield return Set("a list of empty objects", new JsonArray(new JsonObject(), new JsonObject()), false);
                yield return Set("a list of strings", new JsonArray("自己負担なし", "a=b;c", "x=1;"), false);
                break;
        }
    }

    private static IEnumerable<BadInputMutation> JsonBodyMutations()
    {
        foreach (var (label, body) in new[]
        {
            ("an empty body", ""), ("a truncated object", "{"), ("a truncated member", "{\"a\":"), ("a list", "[]"), ("null", "null"), ("a string", "\"text\""),
            ("two objects", "{}{}"), ("a trailing comma", "{\"a\":1,}"), ("a comment", "{/* x */}"), ("single quotes", "{'a':1}"),
            ("nesting 5000 deep", new string('[', 5000) + new string(']', 5000)), ("an object nested 200 deep", string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200)),
        })
        {
            yield return new("body: " + label, BodyTarget, true, r => Raw(r, body, "application/json"));
        }

        yield return new("body: invalid UTF-8", BodyTarget, true, r => Raw(r, [(byte)'{', (byte)'"', 0xFF, 0xFE, (byte)'"', (byte)':', (byte)'1', (byte)'}'], "application/json"));
        yield return new("body: UTF-16", BodyTarget, false, r => Raw(r, Encoding.Unicode.GetBytes(r.Body!.ToJsonString()), "application/json; charset=utf-16"));
        foreach (var type in new[] { "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded" })
        {
            yield return new("content type " + type, "(content type)", true, r => r.ContentType = type);
        }

        yield return new("no content type", "(content type)", true, r => r.ContentType = null);
        yield return new("content type with latin1", "(content type)", false, r => r.ContentType = "application/json; charset=latin1");
        yield return new("content type text/csv", "(content type)", false, r => r.ContentType = "text/csv");
        yield return new("a duplicated member", BodyTarget, false, r => Raw(r, r.Body!.ToJsonString().TrimEnd('}') + ",\"x\":1,\"x\":2}", "application/json"));
        yield return new("an unknown member", "(extra)", false, r => r.Body!["unexpected"] = new JsonArray(new JsonObject { ["deep"] = "x" }));
    }

    private static IEnumerable<BadInputMutation> CsvMutations()
    {
        static Action<BadInputRequest> Text(Func<string, string> change) => r => r.RawBody = Encoding.UTF8.GetBytes(change(Encoding.UTF8.GetString(r.RawBody!)));
        static string Cell(string csv, int column, string value)
        {
            var lines = csv.Split('\n');
            if (lines.Length < 2 || lines[1].Split(',').Length <= column)
            {
                return csv;
            }

            var cells = lines[1].Split(',');
            cells[column] = value;
            lines[1] = string.Join(',', cells);
            return string.Join('\n', lines);
        }

        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        yield return new("csv: Shift_JIS", BodyTarget, true, r => r.RawBody = Encoding.GetEncoding(932).GetBytes(Encoding.UTF8.GetString(r.RawBody!)));
        yield return new("csv: EUC-JP", BodyTarget, true, r => r.RawBody = Encoding.GetEncoding(51932).GetBytes(Encoding.UTF8.GetString(r.RawBody!)));
        yield return new("csv: an invalid UTF-8 byte", BodyTarget, true, r => r.RawBody = [.. r.RawBody!.Take(r.RawBody!.Length - 3), 0xFF, 0xC3, (byte)'\n']);
        yield return new("csv: UTF-16 with BOM", BodyTarget, false, r => r.RawBody = [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(r.RawBody!))]);
        yield return new("csv: UTF-8 with BOM", BodyTarget, false, r => r.RawBody = [.. Encoding.UTF8.GetPreamble(), .. r.RawBody!]);
        yield return new("csv: empty", BodyTarget, true, r => r.RawBody = []);
        yield return new("csv: a missing column", BodyTarget, true, Text(csv => csv.Replace("orgSpecificCertificateTypeId,myNumber,", "orgSpecificCertificateTypeId,", StringComparison.Ordinal)));
        yield return new("csv: header only", BodyTarget, false, Text(csv => csv.Split('\n')[0] + "\n"));
        yield return new("csv: an unterminated quote", BodyTarget, false, Text(csv => csv.Replace("山田 花子", "\"山田 花子", StringComparison.Ordinal)));
        yield return new("csv: a NUL", BodyTarget, false, Text(csv => csv.Replace("山田", "山\0田", StringComparison.Ordinal)));
        yield return new("csv: 5000 columns", BodyTarget, false, Text(csv => csv.TrimEnd('\n') + string.Concat(Enumerable.Repeat(",x", 5000)) + "\n"));
        yield return new("csv: a formula name", "(csv cell)", false, Text(csv => Cell(csv, 2, "=HYPERLINK(\"\"http://x\"\")")));
        foreach (var detail in new[] { "自己負担なし", "a=b;c", "x=1;", ";;", "=" })
        {
            yield return new("csv: certificationDetail " + detail, "(csv cell)", false, Text(csv => Cell(csv, 18, detail)));
        }

        yield return new("csv: a JSON body", BodyTarget, false, r => r.RawBody = Encoding.UTF8.GetBytes("{\"certificates\":[]}"));
        yield return new("content type application/json", "(content type)", true, r => r.ContentType = "application/json");
        yield return new("content type text/plain", "(content type)", true, r => r.ContentType = "text/plain");
        yield return new("content type csv in Shift_JIS", "(content type)", false, r => r.ContentType = "text/csv; charset=shift_jis");
    }

    private static IEnumerable<BadInputMutation> KeyMutations(BadInputOperation operation)
    {
        var keyed = operation.Key is not null;
        yield return new("no key", "(key)", keyed, r => r.Authorization = null);
        yield return new("an unknown key", "(key)", keyed, r => r.Authorization = "Bearer not-a-key");
        yield return new("a basic credential", "(key)", keyed, r => r.Authorization = "Basic Zm9vOmJhcg==");
        yield return new("a 10 KB key", "(key)", keyed, r => r.Authorization = "Bearer " + new string('k', 10_000));
        yield return new("an empty bearer", "(key)", keyed, r => r.Authorization = "Bearer ");
        if (operation.WrongRoleKey is { } wrong)
        {
            yield return new("another role's key", "(key)", true, r => r.Authorization = "Bearer " + wrong);
        }
    }

    private static IEnumerable<BadInputMutation> RouteMutations(string parameter)
    {
        var values = parameter == "code"
            ? new[] { TestData.Hachioji, "abc", "1310160", "13101", "%2E%2E%2F%2E%2E%2Fetc", "%00", "131016%20", new string('1', 3000) }
            : [Guid.NewGuid().ToString(), "%00", "..%2F..%2Fetc%2Fpasswd", new string('x', 3000), "%F0%9F%98%80", "%27%20OR%20%271%27%3D%271", "%25", "-1"];
        foreach (var value in values)
        {
            yield return new($"{{{parameter}}} = {value[..Math.Min(24, value.Length)]}", "{" + parameter + "}", true, r => r.Route[parameter] = value);
        }
    }

    private static JsonObject ManyKeys()
    {
        var consent = new JsonObject();
        for (var i = 0; i < 200; i++)
        {
            consent[string.Create(CultureInfo.InvariantCulture, $"k{i}{new string('x', 1000)}")] = true;
        }

        return consent;
    }

    private static byte[] RandomNumberGeneratorBytes(int count)
    {
        var bytes = new byte[count];
        new Random(count).NextBytes(bytes);
        return bytes;
    }

    private static void Raw(BadInputRequest request, string body, string contentType) => Raw(request, Encoding.UTF8.GetBytes(body), contentType);

    private static void Raw(BadInputRequest request, byte[] body, string contentType)
    {
        request.RawBody = body;
        request.ContentType = contentType;
    }

    private static void SetQuery(BadInputRequest request, string parameter, string value)
    {
        request.Query.RemoveAll(q => q.StartsWith(parameter + "=", StringComparison.Ordinal));
        request.Query.Add(parameter + "=" + value);
    }

    /// <summary>The object holding the field at <paramref name="path"/> (a dotted path; a number indexes a list), and the field's name.</summary>
    private static (JsonNode? Parent, string Name) Locate(BadInputRequest request, string path)
    {
        var parts = path.Split('.');
        JsonNode? node = request.Body;
        foreach (var part in parts[..^1])
        {
            node = node switch
            {
                JsonObject o => o[part],
                JsonArray a when int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => null,
            };
        }

        return (node, parts[^1]);
    }

    private static void SetField(BadInputRequest request, string path, JsonNode? value)
    {
        if (Locate(request, path) is (JsonObject parent, var name))
        {
            parent[name] = value;
        }
    }

    private static void RemoveField(BadInputRequest request, string path)
    {
        if (Locate(request, path) is (JsonObject parent, var name))
        {
            parent.Remove(name);
        }
    }

    private static void AppendToField(BadInputRequest request, string path, string suffix)
    {
        if (Locate(request, path) is (JsonObject parent, var name))
        {
            parent[name] = (parent[name]?.ToString() ?? "") + suffix;
        }
    }

    private static void ChangeCheckDigit(BadInputRequest request, string path)
    {
        if (Locate(request, path) is (JsonObject parent, var name) && parent[name]?.ToString() is { Length: 12 } value)
        {
            var last = (value[^1] - '0' + 1) % 10;
            parent[name] = value[..^1] + last.ToString(CultureInfo.InvariantCulture);
        }
    }
}
