#include "secretcorpus.h"

#include <QRandomGenerator>

namespace {

constexpr char kUpper[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr char kLowerCase[] = "abcdefghijklmnopqrstuvwxyz";
constexpr char kDigits[] = "0123456789";
constexpr char kHex[] = "0123456789abcdef";

class Generator
{
public:
    QByteArray pick(const QByteArray &alphabet, int length)
    {
        QByteArray out(length, Qt::Uninitialized);
        for (char &c : out)
            c = alphabet[int(m_random.bounded(quint32(alphabet.size())))];
        return out;
    }
    QByteArray alnum(int length) { return pick(QByteArray(kUpper) + kLowerCase + kDigits, length); }
    QByteArray base64url(int length)
    {
        return pick(QByteArray(kUpper) + kLowerCase + kDigits + "-_", length);
    }
    QByteArray base64(int length)
    {
        return pick(QByteArray(kUpper) + kLowerCase + kDigits + "+/", length);
    }
    QByteArray hex(int length) { return pick(kHex, length); }
    QByteArray upperDigits(int length) { return pick(QByteArray(kUpper) + kDigits, length); }
    QByteArray digits(int length) { return pick(kDigits, length); }
    QByteArray letters(int length) { return pick(QByteArray(kUpper) + kLowerCase, length); }

    QByteArray pem(const QByteArray &kind)
    {
        QByteArray block = "-----BEGIN " + kind + "PRIVATE KEY-----\n";
        for (int line = 0; line < 12; ++line)
            block += base64(64) + '\n';
        block += base64(40) + "==\n";
        return block + "-----END " + kind + "PRIVATE KEY-----";
    }

    QByteArray jwt()
    {
        const auto encode = [](const QByteArray &bytes) {
            return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        };
        return encode(R"({"alg":"RS256","typ":"JWT","kid":")" + hex(16) + "\"}") + '.' +
               encode(R"({"sub":")" + hex(24) + R"(","iat":1764000000,"exp":1764003600})") + '.' +
               base64url(86);
    }

private:
    QRandomGenerator m_random{20261124};
};

bool isTokenCharacter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/' || c == '=' || c == '_';
}

} // namespace

namespace SecretCorpus {

QList<SecretSample> samples()
{
    Generator g;
    QList<SecretSample> list;
    const auto evident = [&list](const char *pattern, const QByteArray &secret,
                                 const QByteArray &before = "the key is ",
                                 const QByteArray &after = ", keep it safe") {
        list.append({pattern, secret, before + secret + after, true});
    };
    const auto inContext = [&list](const char *pattern, const QByteArray &secret,
                                   const QByteArray &before, const QByteArray &after = {}) {
        list.append({pattern, secret, before + secret + after, false});
    };

    evident("openai_key", "sk-" + g.alnum(20) + "T3BlbkFJ" + g.alnum(20));
    evident("openai_key", "sk-proj-" + g.base64url(74) + "T3BlbkFJ" + g.base64url(74),
            "export OPENAI_API_KEY=", "\n");
    evident("openai_key", "sk-svcacct-" + g.base64url(74) + "T3BlbkFJ" + g.base64url(74));
    evident("openai_key", "sk-admin-" + g.base64url(60) + "T3BlbkFJ" + g.base64url(60));
    evident("anthropic_key", "sk-ant-api03-" + g.base64url(93) + "AA", "x-api-key ");
    evident("anthropic_key", "sk-ant-oat01-" + g.base64url(93) + "AA");
    evident("gatehouse_token", "ghrt_" + g.hex(16) + '_' + g.base64url(43));
    evident("gatehouse_key", "ghk_" + g.hex(16) + '_' + g.base64url(43),
            "curl -H 'x-api-key: ", "' http://127.0.0.1:8787/");
    evident("gatehouse_admin_token", "ghadm_" + g.hex(16) + '_' + g.base64url(43), "TOKEN=");
    evident("github_token", "ghp_" + g.alnum(36));
    evident("github_token", "ghs_" + g.alnum(36));
    evident("github_token", "github_pat_11" + g.upperDigits(20) + '_' + g.alnum(59));
    evident("gitlab_token", "glpat-" + g.base64url(20));
    evident("slack_token", "xoxb-" + g.digits(12) + '-' + g.digits(13) + '-' + g.alnum(24));
    evident("slack_token",
            "xoxp-" + g.digits(12) + '-' + g.digits(12) + '-' + g.digits(13) + '-' + g.hex(32));
    evident("google_api_key", "AIza" + g.base64url(35),
            "https://maps.googleapis.com/x?key=", "&q=1");
    evident("huggingface_token", "hf_" + g.letters(34));
    evident("npm_token", "npm_" + g.alnum(36), "//registry.npmjs.org/:_authToken=", "\n");
    evident("stripe_key", "sk_live_" + g.alnum(99));
    evident("stripe_key", "rk_test_" + g.alnum(24));
    evident("aws_access_key_id", "AKIA" + g.upperDigits(16), "aws_access_key_id = ", "\n");
    evident("aws_access_key_id", "ASIA" + g.upperDigits(16));
    evident("jwt", g.jwt(), "session=", "; Path=/");
    evident("private_key", g.pem("RSA "), "key file:\n", "\n");
    evident("private_key", g.pem("OPENSSH "), "", "\n");
    evident("private_key", g.pem(""));
    evident("private_key", g.pem("EC "));
    evident("private_key", g.pem("ENCRYPTED "));

    inContext("aws_secret", g.base64(40), "[default]\naws_secret_access_key = ", "\n");
    inContext("aws_secret", g.base64(40), R"({"AccessKeyId": "ASIAX", "SecretAccessKey": ")",
              "\"}");
    inContext("aws_secret", g.base64(300), "AWS_SESSION_TOKEN=", "\n");
    inContext("url_credentials", g.alnum(20),
              "DATABASE_URL=postgres://app_user:", "@db.internal:5432/prod");
    inContext("url_credentials", g.base64url(24),
              "git clone https://deploy:", "@git.example.com/org/repo.git");
    inContext("url_credentials", g.alnum(32), "https://", "@gitea.example.com/org/repo.git");
    inContext("bearer_token", g.base64url(48), "Authorization: Bearer ", "\r\n");
    inContext("bearer_token", g.hex(40), "curl -H \"authorization: bearer ", "\" https://x");
    inContext("authorization_header", QByteArray("deploy:" + g.alnum(16)).toBase64(),
              "Authorization: Basic ", "\n");
    inContext("api_key_header", g.alnum(32), "x-api-key: ", "\n");
    inContext("api_key_header", g.hex(32), "api-key: ", "\n");
    inContext("secret_assignment", g.alnum(32), R"({"client_id": "app", "client_secret": ")",
              "\"}");
    inContext("secret_assignment", g.base64url(40), R"({"access_token": ")",
              R"(", "token_type": "Bearer"})");
    inContext("secret_assignment", g.alnum(16), "DB_PASSWORD=", "\n");
    inContext("secret_assignment", g.alnum(14) + "!#", "password = '", "'\n");
    inContext("secret_assignment", g.alnum(24), "SECRET_KEY_BASE=\"", "\"\n");
    return list;
}

QList<QByteArray> leaks(const QByteArray &text, const QByteArray &secret)
{
    QList<QByteArray> found;
    qsizetype start = 0;
    for (qsizetype i = 0; i <= secret.size(); ++i) {
        if (i < secret.size() && isTokenCharacter(secret[i]))
            continue;
        const QByteArray run = secret.mid(start, i - start);
        if (run.size() >= 8 && text.contains(run))
            found.append(run);
        start = i + 1;
    }
    return found;
}

} // namespace SecretCorpus
