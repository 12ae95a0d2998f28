using System.Net;
using System.Text.Json.Nodes;

namespace AgenteVendedor.Api.Tests;

/// <summary>
/// The OpenAPI document as the running Api serves it (/openapi/v1.json), read the way a client generator reads it:
/// every operation says what it answers, with the schema of each body. Which routes need a token and which roles a
/// route may refuse come from the route table of docs/API.md, not from the document under test.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiDocumentTests(ApiFixture fixture)
{
    private const string ProblemJson = "application/problem+json";

    // The platforms expect an empty 200 from a webhook delivery; there is no body to describe.
    private static readonly string[] EmptySuccess = ["POST /webhooks/whatsapp", "POST /webhooks/telegram/{canalId}"];

    private static readonly string[] EnglishReasons =
    [
        "Bad Request", "Unauthorized", "Forbidden", "Not Found", "Conflict", "Payload Too Large", "Content Too Large",
        "Unsupported Media Type", "Unprocessable Entity", "Unprocessable Content", "Too Many Requests", "Service Unavailable",
    ];

    private static readonly string[] SuccessMediaTypes = ["application/json", "text/csv", "text/event-stream", "text/plain", "application/octet-stream"];

    private readonly ApiClient _anonymous = fixture.Anonymous();

    private sealed record Operation(string Method, string Path, JsonObject Node)
    {
        public string Key => $"{Method} {Path}";

        public JsonObject Responses => Node["responses"]?.AsObject() ?? [];

        public bool Lists(int status) => Responses.ContainsKey(status.ToString(System.Globalization.CultureInfo.InvariantCulture));

        public JsonObject Response(int status) =>
            Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)]?.AsObject()
            ?? throw new Xunit.Sdk.XunitException($"{Key} does not list {status}; it lists {string.Join(", ", Responses.Select(r => r.Key))}");
    }

    private async Task<JsonObject> DocumentAsync()
    {
        var answer = await _anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        return answer.Json.AsObject();
    }

    private static List<Operation> Operations(JsonObject document) =>
        document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject()
                .Where(m => m.Key is "get" or "post" or "put" or "patch" or "delete")
                .Select(m => new Operation(m.Key.ToUpperInvariant(), p.Key, m.Value!.AsObject())))
            .ToList();

    /// <summary>A schema with its $ref followed (also inside a nullable oneOf/anyOf), so its properties can be read.</summary>
    private static JsonObject Resolve(JsonObject document, JsonNode? schema)
    {
        Assert.NotNull(schema);
        var node = schema.AsObject();
        if (node["$ref"]?.GetValue<string>() is { } reference)
        {
            Assert.StartsWith("#/components/schemas/", reference, StringComparison.Ordinal);
            var named = document["components"]?["schemas"]?[reference["#/components/schemas/".Length..]];
            Assert.True(named is not null, $"{reference} is not in components.schemas");
            return Resolve(document, named);
        }

        foreach (var union in new[] { "oneOf", "anyOf", "allOf" })
        {
            if (node[union]?.AsArray().FirstOrDefault(s => s?["$ref"] is not null) is { } referenced)
            {
                return Resolve(document, referenced);
            }
        }

        return node;
    }

    private static JsonObject SchemaOf(JsonObject document, JsonObject response, string mediaType)
    {
        var content = response["content"]?[mediaType];
        Assert.True(content is not null, $"no {mediaType} content in {response.ToJsonString()}");
        Assert.True(content["schema"] is not null, $"{mediaType} without a schema");
        return Resolve(document, content["schema"]);
    }

    private static IReadOnlyCollection<string> PropertiesOf(JsonObject schema) =>
        schema["properties"]?.AsObject().Select(p => p.Key).ToList() ?? [];

    [Fact]
    public async Task Every_operation_lists_a_success_answer_and_describes_its_body()
    {
        var document = await DocumentAsync();
        var wrong = new List<string>();
        foreach (var operation in Operations(document))
        {
            var successes = operation.Responses.Where(r => r.Key.StartsWith('2')).ToList();
            if (successes.Count == 0)
            {
                wrong.Add($"{operation.Key}: no 2xx answer");
            }

            foreach (var (status, response) in successes)
            {
                var content = response!["content"]?.AsObject();
                if (status == "204" || EmptySuccess.Contains(operation.Key))
                {
                    if (content is { Count: > 0 }) { wrong.Add($"{operation.Key} {status}: describes a body it does not send"); }
                    continue;
                }

                if (content is null || content.Count == 0)
                {
                    wrong.Add($"{operation.Key} {status}: no content");
                    continue;
                }

                foreach (var (mediaType, media) in content)
                {
                    if (!SuccessMediaTypes.Contains(mediaType)) { wrong.Add($"{operation.Key} {status}: unexpected {mediaType}"); }
                    if (media?["schema"] is null) { wrong.Add($"{operation.Key} {status} {mediaType}: no schema"); }
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public async Task Every_problem_answer_is_problem_json_with_a_schema_and_a_spanish_description()
    {
        var document = await DocumentAsync();
        var wrong = new List<string>();
        foreach (var operation in Operations(document))
        {
            foreach (var (status, response) in operation.Responses.Where(r => r.Key[0] is '4' or '5'))
            {
                var content = response!["content"]?.AsObject();
                if (content is null || content.Count != 1 || content[ProblemJson]?["schema"] is null)
                {
                    wrong.Add($"{operation.Key} {status}: not described as {ProblemJson} with a schema");
                    continue;
                }

                var properties = PropertiesOf(Resolve(document, content[ProblemJson]!["schema"]));
                if (!properties.Contains("status") || !properties.Contains("detail"))
                {
                    wrong.Add($"{operation.Key} {status}: the schema is not a problem (status, detail)");
                }

                var description = response["description"]?.GetValue<string>() ?? "";
                if (description.Length == 0 || EnglishReasons.Contains(description))
                {
                    wrong.Add($"{operation.Key} {status}: description '{description}' is not ours");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public async Task Routes_that_need_a_token_list_401_and_name_the_bearer_scheme_and_routes_that_refuse_roles_list_403()
    {
        var document = await DocumentAsync();
        var operations = Operations(document).ToDictionary(o => o.Key);
        var scheme = document["components"]?["securitySchemes"]?["Bearer"];
        Assert.NotNull(scheme);
        Assert.Equal("http", scheme["type"]!.GetValue<string>());
        Assert.Equal("bearer", scheme["scheme"]!.GetValue<string>());

        var wrong = new List<string>();
        foreach (var rule in ContractMatrixTests.Table())
        {
            var operation = operations[rule.Key];
            var secured = operation.Node["security"]?.AsArray().Any(r => r?["Bearer"] is not null) ?? false;
            if (rule.Access == "público")
            {
                if (secured) { wrong.Add($"{rule.Key}: public, but asks for a token"); }
                continue;
            }

            if (!operation.Lists(401)) { wrong.Add($"{rule.Key}: needs a token but does not list 401"); }
            if (!secured) { wrong.Add($"{rule.Key}: needs a token but names no security scheme"); }
            if (rule.Access is "edición" or "admin" && !operation.Lists(403)) { wrong.Add($"{rule.Key}: refuses roles but does not list 403"); }
            if (rule.Access == "lectura" && operation.Lists(403)) { wrong.Add($"{rule.Key}: every role may read it, yet it lists 403"); }
        }

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public async Task Routes_that_name_an_id_list_404()
    {
        var document = await DocumentAsync();
        var missing = Operations(document).Where(o => o.Path.Contains('{', StringComparison.Ordinal) && !o.Lists(404)).Select(o => o.Key).ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public async Task What_a_request_can_get_wrong_is_listed()
    {
        var document = await DocumentAsync();
        var wrong = new List<string>();
        foreach (var operation in Operations(document))
        {
            if (operation.Node["requestBody"]?["content"]?["application/json"] is not null)
            {
                foreach (var status in new[] { 400, 415, 422 })
                {
                    if (!operation.Lists(status)) { wrong.Add($"{operation.Key}: takes JSON but does not list {status}"); }
                }
            }

            // A query value that must be a number, a boolean, a uuid or a date answers 400 when it is not.
            var typed = operation.Node["parameters"]?.AsArray()
                .Where(p => p!["in"]!.GetValue<string>() == "query")
                .Select(p => p!["schema"]!)
                .Any(s => s["type"]?.ToJsonString() is { } type && (type.Contains("integer") || type.Contains("boolean") || type.Contains("number"))
                    || s["format"]?.GetValue<string>() is "uuid" or "date-time") ?? false;
            if (typed && !operation.Lists(400)) { wrong.Add($"{operation.Key}: has typed query parameters but does not list 400"); }

            // Every route calls the cluster, and most the database: both may be away for a while.
            if (!operation.Lists(503)) { wrong.Add($"{operation.Key}: does not list 503"); }
        }

        foreach (var limited in new[] { "POST /auth/login", "POST /auth/registro", "POST /chat", "POST /usuarios", "GET /webhooks/whatsapp", "POST /webhooks/whatsapp" })
        {
            if (!Operations(document).Single(o => o.Key == limited).Lists(429)) { wrong.Add($"{limited}: rate limited but does not list 429"); }
        }

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public async Task A_product_is_described_with_the_fields_a_real_answer_has()
    {
        var document = await DocumentAsync();
        var operations = Operations(document).ToDictionary(o => o.Key);
        var tenant = await _anonymous.RegisterAsync();
        var created = await tenant.Admin.PostAsync("/productos", new { nombre = "Martillo de uña", precio = 25000, stock = 5, palabras_clave = new[] { "martillo" } });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var served = (await tenant.Admin.GetAsync($"/productos/{created.Json["id"]}")).Json.AsObject().Select(p => p.Key).Order().ToList();

        var product = SchemaOf(document, operations["GET /productos/{id}"].Response(200), "application/json");
        Assert.Equal(served, PropertiesOf(product).Order().ToList());
        Assert.Contains("number", product["properties"]!["precio"]!["type"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(product.ToJsonString(), SchemaOf(document, operations["POST /productos"].Response(201), "application/json").ToJsonString());

        var page = SchemaOf(document, operations["GET /productos"].Response(200), "application/json");
        Assert.Equal(new[] { "items", "pagina", "tamano", "total" }, PropertiesOf(page).Order().ToArray());
        Assert.Equal(product.ToJsonString(), Resolve(document, page["properties"]!["items"]!["items"]).ToJsonString());

        var search = operations["GET /productos/buscar"].Response(200)["content"]!["application/json"]!["schema"]!;
        Assert.Contains("array", search["type"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(new[] { "producto", "puntaje" }, PropertiesOf(Resolve(document, search["items"])).Order().ToArray());
    }

    [Fact]
    public async Task A_sale_lists_201_400_409_with_the_shortage_and_422()
    {
        var document = await DocumentAsync();
        var sale = Operations(document).Single(o => o.Key == "POST /ventas");
        var tenant = await _anonymous.RegisterAsync();
        var product = await tenant.Admin.PostAsync("/productos", new { nombre = "Sierra", precio = 45000, stock = 1 });
        var productId = product.Json["id"]!.GetValue<string>();
        var sold = await tenant.Admin.PostAsync("/ventas", new { items = new[] { new { producto_id = productId, cantidad = 1 } } });
        var refused = await tenant.Admin.PostAsync("/ventas", new { items = new[] { new { producto_id = productId, cantidad = 1 } } });
        Assert.Equal(HttpStatusCode.Created, sold.Status);
        refused.AssertProblem(HttpStatusCode.Conflict);

        var created = SchemaOf(document, sale.Response(201), "application/json");
        Assert.Equal(sold.Json.AsObject().Select(p => p.Key).Order(), PropertiesOf(created).Order());
        Assert.Contains("items", PropertiesOf(created));
        Assert.True(sale.Lists(400));
        var shortage = SchemaOf(document, sale.Response(409), ProblemJson);
        Assert.Contains("producto_id", PropertiesOf(shortage));
        Assert.Contains("disponible", PropertiesOf(shortage));
        Assert.All(refused.Json.AsObject().Select(p => p.Key).Where(k => k != "trace_id"), k => Assert.Contains(k, PropertiesOf(shortage)));
        Assert.Contains("errors", PropertiesOf(SchemaOf(document, sale.Response(422), ProblemJson)));
        Assert.Contains("Idempotency-Key", sale.Response(409)["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_estado_change_describes_the_sale_with_its_historial_and_lists_its_refusals()
    {
        var document = await DocumentAsync();
        var change = Operations(document).Single(o => o.Key == "PATCH /ventas/{id}/estado");
        var tenant = await _anonymous.RegisterAsync();
        var product = await tenant.Admin.PostAsync("/productos", new { nombre = "Lija", precio = 1500, stock = 3 });
        var sale = await tenant.Admin.PostAsync("/ventas", new { items = new[] { new { producto_id = product.Json["id"]!.GetValue<string>(), cantidad = 1 } } });
        var moved = await tenant.Admin.PatchAsync($"/ventas/{sale.Json["id"]!.GetValue<string>()}/estado", new { estado = "preparando", nota = "Empacando" });
        Assert.Equal(HttpStatusCode.OK, moved.Status);

        var schema = SchemaOf(document, change.Response(200), "application/json");
        Assert.Equal(moved.Json.AsObject().Select(p => p.Key).Order(), PropertiesOf(schema).Order());
        var step = Resolve(document, schema["properties"]!["historial"]!["items"]);
        Assert.Equal(moved.Json["historial"]![1]!.AsObject().Select(p => p.Key).Order(), PropertiesOf(step).Order());
        Assert.Contains("array", schema["properties"]!["estados_siguientes"]!["type"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(schema.ToJsonString(), SchemaOf(document, Operations(document).Single(o => o.Key == "GET /ventas/{id}").Response(200), "application/json").ToJsonString());
        foreach (var status in new[] { 400, 403, 404, 409, 415, 422 })
        {
            Assert.True(change.Lists(status), $"PATCH /ventas/{{id}}/estado does not list {status}");
        }

        Assert.Contains("errors", PropertiesOf(SchemaOf(document, change.Response(409), ProblemJson)));
        Assert.Contains("anula", change.Response(403)["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_csv_routes_describe_csv_and_the_import_its_refusals()
    {
        var document = await DocumentAsync();
        var operations = Operations(document).ToDictionary(o => o.Key);

        foreach (var export in new[] { "GET /productos/exportar", "GET /reportes/ventas.csv" })
        {
            Assert.Equal(new[] { "text/csv" }, operations[export].Response(200)["content"]!.AsObject().Select(c => c.Key));
        }

        var import = operations["POST /productos/importar"];
        Assert.Contains("creados", PropertiesOf(SchemaOf(document, import.Response(200), "application/json")));
        Assert.True(import.Lists(413));
        Assert.True(import.Lists(415));
        var rows = SchemaOf(document, import.Response(422), ProblemJson);
        Assert.Contains("errores", PropertiesOf(rows));
        Assert.Contains("total_errores", PropertiesOf(rows));
        Assert.Equal(new[] { "columna", "fila", "mensaje" }, PropertiesOf(Resolve(document, rows["properties"]!["errores"]!["items"])).Order().ToArray());
    }

    [Fact]
    public async Task Response_schemas_name_their_fields_in_snake_case()
    {
        var document = await DocumentAsync();
        var wrong = new List<string>();
        var seen = new HashSet<string>();
        void Walk(string where, JsonNode? schema)
        {
            if (schema is not JsonObject node)
            {
                return;
            }

            if (node["$ref"]?.GetValue<string>() is { } reference)
            {
                if (seen.Add(reference)) { Walk(reference, Resolve(document, node)); }
                return;
            }

            foreach (var (name, property) in node["properties"]?.AsObject() ?? [])
            {
                if (name.Any(c => char.IsUpper(c) || c == '-')) { wrong.Add($"{where}.{name}"); }
                Walk(where, property);
            }

            Walk(where, node["items"]);
            foreach (var union in new[] { "oneOf", "anyOf", "allOf" })
            {
                foreach (var part in node[union]?.AsArray() ?? [])
                {
                    Walk(where, part);
                }
            }
        }

        foreach (var operation in Operations(document))
        {
            foreach (var (status, response) in operation.Responses)
            {
                foreach (var (_, media) in response!["content"]?.AsObject() ?? [])
                {
                    Walk($"{operation.Key} {status}", media?["schema"]);
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }
}
