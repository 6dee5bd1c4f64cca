#include "policy/sha256.h"

#include <openssl/evp.h>

#include <memory>

namespace {

struct ContextFree
{
    void operator()(EVP_MD_CTX *context) const { EVP_MD_CTX_free(context); }
};

} // namespace

QByteArray sha256(QByteArrayView bytes)
{
    // Fetched once: OpenSSL 3 looks an algorithm up in its providers on every implicit fetch.
    static EVP_MD *const algorithm = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    thread_local const std::unique_ptr<EVP_MD_CTX, ContextFree> context(EVP_MD_CTX_new());
    QByteArray digest(32, Qt::Uninitialized);
    unsigned int size = 0;
    const bool done =
        algorithm && context && EVP_DigestInit_ex2(context.get(), algorithm, nullptr) == 1 &&
        EVP_DigestUpdate(context.get(), bytes.data(), size_t(bytes.size())) == 1 &&
        EVP_DigestFinal_ex(context.get(), reinterpret_cast<uchar *>(digest.data()), &size) == 1 &&
        size == 32;
    if (!done)
        qFatal("SHA-256 is unavailable in OpenSSL");
    return digest;
}
