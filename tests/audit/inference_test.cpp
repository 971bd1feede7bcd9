// Inference-server settings: Ollama's Modelfile and API options, llama.cpp
// and vLLM flags, container limits, and what they mean together. Cases come
// from the seed guides where they have one (seed and line in a comment).
#include "audit/audit.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace tune::audit {
namespace {

std::vector<Finding> settings(const std::string& text) {
  std::vector<Finding> found;
  for (auto& finding : audit_text(text, "guide.md", nullptr)) {
    if (finding.kind == FindingKind::Setting) found.push_back(std::move(finding));
  }
  return found;
}

const Finding* find(const std::vector<Finding>& findings, const std::string& domain, const std::string& key, int line = 0) {
  for (const auto& finding : findings) {
    if (finding.item.domain == domain && finding.item.key == key && (line == 0 || finding.item.line == line)) return &finding;
  }
  return nullptr;
}

bool has(const Finding& finding, const std::string& fragment) {
  return finding.message.find(fragment) != std::string::npos;
}

size_t count_domain(const std::vector<Finding>& findings, const std::string& domain) {
  return static_cast<size_t>(std::count_if(findings.begin(), findings.end(),
                                           [&](const Finding& f) { return f.item.domain == domain; }));
}

TEST(InferenceKnowledge, FilesLoadWithTheirDomains) {
  const Knowledge& knowledge = Knowledge::builtin();
  ASSERT_NE(knowledge.find("ollama", "num_gpu"), nullptr);
  EXPECT_EQ(knowledge.find("ollama", "use_mlock")->status, Verdict::Obsolete);
  ASSERT_NE(knowledge.find("llama.cpp", "n-gpu-layers"), nullptr);
  EXPECT_EQ(knowledge.find("llama.cpp", "memory-f32")->status, Verdict::Nonexistent);
  ASSERT_NE(knowledge.find("vllm", "tensor-parallel-size"), nullptr);
  ASSERT_NE(knowledge.find("container", "cpus"), nullptr);
  ASSERT_NE(knowledge.find("container", "shm_size"), nullptr);
  // No catch-all pattern: an unknown key stays unknown, so `tune knowledge` queries are not swallowed.
  EXPECT_EQ(knowledge.find("ollama", "vm.swappiness"), nullptr);
}

// 002 line 1007: `"num_gpu": 1,` in a dict with num_thread and f16_kv.
TEST(InferenceOllama, NumGpuOneIsOneLayerNotOneGpu) {
  auto findings = settings(
      "config = {\n"
      "    \"num_gpu\": 1,\n"
      "    \"gpu_layers\": 32,\n"
      "    \"main_gpu\": 0,\n"
      "    \"low_vram\": False,\n"
      "    \"f16_kv\": True,\n"
      "    \"num_thread\": 1  # Single thread when using GPU\n"
      "}\n");
  const Finding* gpu = find(findings, "ollama", "num_gpu");
  ASSERT_NE(gpu, nullptr);
  EXPECT_EQ(gpu->item.form, "Ollama API option");
  EXPECT_EQ(gpu->item.line, 2);
  EXPECT_EQ(gpu->item.value, "1");
  EXPECT_EQ(gpu->verdict, Verdict::Risky);
  EXPECT_TRUE(has(*gpu, "layer")) << gpu->message;
  EXPECT_TRUE(gpu->modern.empty());

  const Finding* layers = find(findings, "ollama", "gpu_layers");
  ASSERT_NE(layers, nullptr);
  EXPECT_EQ(layers->verdict, Verdict::Nonexistent);
  EXPECT_EQ(layers->modern, "ollama num_gpu");

  const Finding* low_vram = find(findings, "ollama", "low_vram");
  ASSERT_NE(low_vram, nullptr);
  EXPECT_EQ(low_vram->item.value, "false");
  EXPECT_EQ(low_vram->verdict, Verdict::Obsolete);
  EXPECT_TRUE(has(*low_vram, "0.7.0"));

  const Finding* f16 = find(findings, "ollama", "f16_kv");
  ASSERT_NE(f16, nullptr);
  EXPECT_EQ(f16->verdict, Verdict::Obsolete);
  EXPECT_TRUE(has(*f16, "OLLAMA_KV_CACHE_TYPE"));
  EXPECT_EQ(find(findings, "ollama", "num_thread")->verdict, Verdict::Valid);
}

TEST(InferenceOllama, NumGpuZeroIsCpuOnlyAndLargeIsAllLayers) {
  auto cpu = settings("PARAMETER num_gpu 0\n");
  ASSERT_EQ(cpu.size(), 1u);
  EXPECT_EQ(cpu[0].verdict, Verdict::Valid);
  EXPECT_TRUE(has(cpu[0], "CPU only"));
  auto all = settings("PARAMETER num_gpu 999\n");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].verdict, Verdict::Valid);
  auto few = settings("PARAMETER num_gpu 2\n");
  ASSERT_EQ(few.size(), 1u);
  EXPECT_EQ(few[0].verdict, Verdict::Risky);
}

// 002 lines 833-843: the options of an /api/generate request.
TEST(InferenceOllama, RequestOptionsAreReadAndRequestFieldsAreNot) {
  auto findings = settings(
      "params = {\n"
      "    \"model\": \"tinyllama\",\n"
      "    \"prompt\": prompt,\n"
      "    \"stream\": False,\n"
      "    \"options\": {\n"
      "        \"temperature\": 0.7,\n"
      "        \"top_k\": 40,\n"
      "        \"num_predict\": 128,  # Limit output length\n"
      "        \"num_ctx\": 2048,     # Context window\n"
      "        \"num_thread\": 4,     # CPU threads\n"
      "        \"stop\": [\"\\\\n\\\\n\", \"User:\", \"Assistant:\"]\n"
      "    }\n"
      "}\n");
  EXPECT_EQ(find(findings, "ollama", "model"), nullptr);
  EXPECT_EQ(find(findings, "ollama", "stream"), nullptr);
  EXPECT_EQ(count_domain(findings, "ollama"), 6u);
  const Finding* temperature = find(findings, "ollama", "temperature");
  ASSERT_NE(temperature, nullptr);
  EXPECT_EQ(temperature->item.line, 6);
  EXPECT_EQ(temperature->verdict, Verdict::Valid);
  EXPECT_TRUE(has(*temperature, "not how fast")) << temperature->message;
  const Finding* context = find(findings, "ollama", "num_ctx");
  ASSERT_NE(context, nullptr);
  EXPECT_EQ(context->item.value, "2048");
  EXPECT_TRUE(find(findings, "ollama", "stop")->item.value_known);
}

TEST(InferenceOllama, UnknownOptionInAnOptionsBlockDoesNotExist) {
  auto findings = settings("ollama.generate(model='llama3', prompt=p, options={'num_ctx': 4096, 'n_gpu_layer': 20})\n");
  const Finding* unknown = find(findings, "ollama", "n_gpu_layer");
  ASSERT_NE(unknown, nullptr);
  EXPECT_EQ(unknown->verdict, Verdict::Nonexistent);
  EXPECT_TRUE(has(*unknown, "invalid option provided")) << unknown->message;
  EXPECT_EQ(find(findings, "ollama", "num_ctx")->item.value, "4096");
}

// 002 lines 1032-1037: a Modelfile built in a Python f-string.
TEST(InferenceOllama, ModelfileParametersWithTemplatedValues) {
  auto findings = settings(
      "modelfile = f\"\"\"\n"
      "FROM tinyllama\n"
      "PARAMETER num_gpu {config['num_gpu']}\n"
      "PARAMETER num_thread {config['num_thread']}\n"
      "PARAMETER num_ctx 2048\n"
      "PARAMETER temperature 0.7\n"
      "\"\"\"\n");
  const Finding* gpu = find(findings, "ollama", "num_gpu");
  ASSERT_NE(gpu, nullptr);
  EXPECT_EQ(gpu->item.form, "Modelfile PARAMETER");
  EXPECT_EQ(gpu->item.line, 3);
  EXPECT_FALSE(gpu->item.value_known);
  EXPECT_EQ(gpu->verdict, Verdict::Valid);  // the value decides, and the text does not give it
  EXPECT_TRUE(has(*gpu, "does not set")) << gpu->message;
  const Finding* context = find(findings, "ollama", "num_ctx");
  ASSERT_NE(context, nullptr);
  EXPECT_TRUE(context->item.value_known);
  EXPECT_EQ(context->item.value, "2048");
}

TEST(InferenceOllama, RemovedParametersAreObsolete) {
  auto findings = settings("PARAMETER use_mlock true\nPARAMETER numa true\nPARAMETER mirostat 2\n");
  ASSERT_EQ(findings.size(), 3u);
  for (const auto& finding : findings) EXPECT_EQ(finding.verdict, Verdict::Obsolete) << finding.item.key;
}

TEST(InferenceOllama, RepeatedStopSequencesAreNotContradictions) {
  auto findings = settings("PARAMETER stop \"<|eot_id|>\"\nPARAMETER stop \"User:\"\n");
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_FALSE(has(findings[1], "Contradicts")) << findings[1].message;
}

// Negative: an OpenAI request has temperature and max_tokens, nothing Ollama's.
TEST(InferenceOllama, OtherClientsDictsAreNotOllamaOptions) {
  auto findings = settings(
      "response = client.chat.completions.create(**{\n"
      "    \"model\": \"gpt-4o\",\n"
      "    \"temperature\": 0.7,\n"
      "    \"max_tokens\": 256,\n"
      "})\n"
      "const options = { method: 'POST', headers: { 'Content-Type': 'application/json' } };\n"
      "llm = Llama(model_path=p, n_ctx=2048, n_threads=8)\n");
  EXPECT_EQ(count_domain(findings, "ollama"), 0u);
  EXPECT_EQ(count_domain(findings, "vllm"), 0u);
}

TEST(InferenceLlamaCpp, ServerFlagsWithShortForms) {
  auto findings = settings(
      "./llama-server -m models/llama-3-8b.Q4_K_M.gguf -t 8 -ngl 99 -c 8192 \\\n"
      "  --host 0.0.0.0 --port 8080 -np 4 --cont-batching -fa --no-mmap --mlock\n");
  const Finding* threads = find(findings, "llama.cpp", "threads");
  ASSERT_NE(threads, nullptr);
  EXPECT_EQ(threads->item.value, "8");
  EXPECT_EQ(threads->item.form, "llama-server flag");
  EXPECT_EQ(threads->item.line, 1);
  EXPECT_EQ(find(findings, "llama.cpp", "n-gpu-layers")->verdict, Verdict::Valid);
  EXPECT_EQ(find(findings, "llama.cpp", "ctx-size")->item.value, "8192");
  EXPECT_EQ(find(findings, "llama.cpp", "parallel")->item.value, "4");
  EXPECT_EQ(find(findings, "llama.cpp", "cont-batching")->verdict, Verdict::NoEffect);
  EXPECT_EQ(find(findings, "llama.cpp", "flash-attn")->item.value, "on");
  EXPECT_EQ(find(findings, "llama.cpp", "mmap")->item.value, "false");
  EXPECT_EQ(find(findings, "llama.cpp", "mlock")->verdict, Verdict::Valid);  // no container here
  EXPECT_EQ(find(findings, "llama.cpp", "model"), nullptr);
  EXPECT_EQ(find(findings, "llama.cpp", "host"), nullptr);
}

TEST(InferenceLlamaCpp, RemovedAndMistypedFlags) {
  auto findings = settings("./main -m model.gguf --memory-f32 --ctx-size 2048 -ctk q8_0 --n-gpu-layer 20\n");
  const Finding* memory = find(findings, "llama.cpp", "memory-f32");
  ASSERT_NE(memory, nullptr);
  EXPECT_EQ(memory->item.form, "llama-cli flag");
  EXPECT_EQ(memory->verdict, Verdict::Nonexistent);
  EXPECT_TRUE(has(*memory, "cache-type-k"));
  EXPECT_EQ(find(findings, "llama.cpp", "cache-type-k")->verdict, Verdict::Valid);
  const Finding* typo = find(findings, "llama.cpp", "n-gpu-layer");
  ASSERT_NE(typo, nullptr);
  EXPECT_EQ(typo->verdict, Verdict::NotJudged);
  EXPECT_TRUE(has(*typo, "n-gpu-layers")) << typo->message;
}

TEST(InferenceVllm, ServeFlagsAndMemoryShare) {
  auto findings = settings(
      "vllm serve meta-llama/Llama-3.1-8B-Instruct --tensor-parallel-size 2 --gpu-memory-utilization 0.98 \\\n"
      "    --max-model-len 8192 --enforce-eager --kv-cache-dtype fp8\n"
      "python -m vllm.entrypoints.openai.api_server --model m --gpu-memory-utilization 90\n");
  const Finding* tp = find(findings, "vllm", "tensor-parallel-size");
  ASSERT_NE(tp, nullptr);
  EXPECT_EQ(tp->item.value, "2");
  EXPECT_EQ(tp->item.form, "vllm flag");
  EXPECT_EQ(tp->verdict, Verdict::Valid);  // no container in this text
  const Finding* high = find(findings, "vllm", "gpu-memory-utilization", 1);
  ASSERT_NE(high, nullptr);
  EXPECT_EQ(high->verdict, Verdict::Risky);
  EXPECT_TRUE(has(*high, "CUDA graphs")) << high->message;
  const Finding* percent = find(findings, "vllm", "gpu-memory-utilization", 3);
  ASSERT_NE(percent, nullptr);
  EXPECT_EQ(percent->verdict, Verdict::OutOfRange);
  EXPECT_TRUE(has(*percent, "0 to 1")) << percent->message;
  EXPECT_EQ(find(findings, "vllm", "enforce-eager")->item.value, "true");
  EXPECT_EQ(find(findings, "vllm", "model"), nullptr);
}

TEST(InferenceVllm, LlmKeywordArguments) {
  auto findings = settings(
      "from vllm import LLM\n"
      "llm = LLM(\n"
      "    model=\"Qwen/Qwen2-7B\",\n"
      "    tensor_parallel_size=4,\n"
      "    gpu_memory_utilization=0.9,\n"
      "    max_model_len=args.max_len)\n");
  const Finding* tp = find(findings, "vllm", "tensor-parallel-size");
  ASSERT_NE(tp, nullptr);
  EXPECT_EQ(tp->item.form, "vllm LLM() argument");
  EXPECT_EQ(tp->item.line, 4);
  EXPECT_EQ(tp->item.value, "4");
  const Finding* share = find(findings, "vllm", "gpu-memory-utilization");
  ASSERT_NE(share, nullptr);
  EXPECT_EQ(share->verdict, Verdict::NoEffect);  // 0.9 is vLLM's default
  EXPECT_TRUE(has(*share, "already the default")) << share->message;
  const Finding* length = find(findings, "vllm", "max-model-len");
  ASSERT_NE(length, nullptr);
  EXPECT_EQ(length->item.line, 6);
  EXPECT_FALSE(length->item.value_known);
  EXPECT_EQ(find(findings, "vllm", "model"), nullptr);
}

TEST(InferenceVllm, TensorParallelInAContainerNeedsSharedMemory) {
  auto findings = settings(
      "docker run --runtime nvidia --gpus all -p 8000:8000 vllm/vllm-openai:latest \\\n"
      "    --model mistralai/Mistral-7B-v0.1 --tensor-parallel-size 2\n");
  const Finding* tp = find(findings, "vllm", "tensor-parallel-size");
  ASSERT_NE(tp, nullptr);
  EXPECT_EQ(tp->verdict, Verdict::Risky);
  EXPECT_TRUE(has(*tp, "--ipc=host")) << tp->message;

  auto fixed = settings("docker run --gpus all --ipc=host vllm/vllm-openai:latest --model m --tensor-parallel-size 2\n");
  EXPECT_EQ(find(fixed, "vllm", "tensor-parallel-size")->verdict, Verdict::Valid);
  const Finding* ipc = find(fixed, "container", "ipc");
  ASSERT_NE(ipc, nullptr);
  EXPECT_EQ(ipc->item.value, "host");
  EXPECT_EQ(ipc->item.scope, "vllm-openai");
}

// 002 lines 1148-1153 (the ollama service limited to cpus '2.0') against
// 002 line 840 (`"num_thread": 4` in the request options).
TEST(InferenceContainer, ThreadsAboveTheCpuQuotaAreThrottled) {
  auto findings = settings(
      "\"options\": {\n"
      "    \"num_ctx\": 2048,\n"
      "    \"num_thread\": 4,     # CPU threads\n"
      "}\n"
      "```yaml\n"
      "services:\n"
      "  backend:\n"
      "    deploy:\n"
      "      resources:\n"
      "        limits:\n"
      "          cpus: '1.0'\n"
      "          memory: 1024M\n"
      "  ollama:\n"
      "    deploy:\n"
      "      resources:\n"
      "        limits:\n"
      "          cpus: '2.0'\n"
      "          memory: 2048M\n"
      "        reservations:\n"
      "          cpus: '1.0'\n"
      "```\n");
  const Finding* threads = find(findings, "ollama", "num_thread");
  ASSERT_NE(threads, nullptr);
  EXPECT_EQ(threads->verdict, Verdict::Risky);
  EXPECT_TRUE(has(*threads, "line 17")) << threads->message;
  EXPECT_TRUE(has(*threads, "(ollama) to 2 CPUs")) << threads->message;
  EXPECT_TRUE(has(*threads, "num_thread = 2")) << threads->message;

  const Finding* cpus = find(findings, "container", "cpus", 17);
  ASSERT_NE(cpus, nullptr);
  EXPECT_EQ(cpus->item.form, "compose");
  EXPECT_EQ(cpus->item.scope, "ollama");
  EXPECT_EQ(cpus->item.value, "2.0");
  EXPECT_EQ(find(findings, "container", "memory", 18)->verdict, Verdict::Valid);
  EXPECT_EQ(find(findings, "container", "cpus", 20), nullptr);  // a reservation does not throttle
  EXPECT_EQ(count_domain(findings, "container"), 4u);
}

TEST(InferenceContainer, ThreadsWithinTheQuotaStayValid) {
  auto findings = settings("docker run --cpus=4 -e OMP_NUM_THREADS=4 ghcr.io/ggml-org/llama.cpp:server -m m.gguf -t 4\n");
  EXPECT_EQ(find(findings, "llama.cpp", "threads")->verdict, Verdict::Valid);
  const Finding* omp = find(findings, "environment", "OMP_NUM_THREADS");
  ASSERT_NE(omp, nullptr);
  EXPECT_EQ(omp->item.form, "docker run -e");
  EXPECT_EQ(omp->verdict, Verdict::Valid);
}

// 000 lines 1547-1553: Kubernetes requests and limits in millicores and Gi.
TEST(InferenceContainer, KubernetesLimitsAgainstThreads) {
  auto findings = settings(
      "      containers:\n"
      "      - name: ollama\n"
      "        image: ollama/ollama:latest\n"
      "        resources:\n"
      "          requests:\n"
      "            cpu: 500m\n"
      "            memory: 2Gi\n"
      "          limits:\n"
      "            cpu: 2000m\n"
      "            memory: 8Gi\n"
      "PARAMETER num_thread 8\n");
  const Finding* cpu = find(findings, "container", "cpu");
  ASSERT_NE(cpu, nullptr);
  EXPECT_EQ(cpu->item.line, 9);
  EXPECT_EQ(cpu->item.form, "kubernetes resources");
  EXPECT_EQ(cpu->item.scope, "ollama");
  const Finding* memory = find(findings, "container", "memory");
  ASSERT_NE(memory, nullptr);
  EXPECT_EQ(memory->item.value, "8G");
  EXPECT_EQ(memory->verdict, Verdict::Valid);
  const Finding* threads = find(findings, "ollama", "num_thread");
  ASSERT_NE(threads, nullptr);
  EXPECT_EQ(threads->verdict, Verdict::Risky);
  EXPECT_TRUE(has(*threads, "num_thread = 2")) << threads->message;
}

TEST(InferenceContainer, MlockInAContainerNeedsAMemlockLimit) {
  auto findings = settings("docker run --memory=16g ghcr.io/ggml-org/llama.cpp:server -m m.gguf --mlock\n");
  const Finding* mlock = find(findings, "llama.cpp", "mlock");
  ASSERT_NE(mlock, nullptr);
  EXPECT_EQ(mlock->verdict, Verdict::Risky);
  EXPECT_TRUE(has(*mlock, "memlock")) << mlock->message;
  auto raised = settings("docker run --ulimit memlock=-1:-1 ghcr.io/ggml-org/llama.cpp:server -m m.gguf --mlock\n");
  EXPECT_EQ(find(raised, "llama.cpp", "mlock")->verdict, Verdict::Valid);
  EXPECT_EQ(find(raised, "container", "ulimit.memlock")->item.value, "-1");
}

// Negative: `cpus` outside a compose service or resources block is code, not a limit.
TEST(InferenceContainer, CpusOutsideContainerContextIsNotALimit) {
  auto findings = settings(
      "numa:\n"
      "  cpus: 8\n"
      "return [{'cpus': list(range(self.cpu_count // 2))}]\n"
      "agent_resources:\n"
      "  ai_orchestrator:\n"
      "    cpu_limit: 1.0\n");
  EXPECT_EQ(count_domain(findings, "container"), 0u);
}

TEST(InferenceContainer, ComposeServiceKeysAndCommand) {
  auto findings = settings(
      "services:\n"
      "  vllm:\n"
      "    image: vllm/vllm-openai:latest\n"
      "    shm_size: '16gb'\n"
      "    mem_limit: 32g\n"
      "    command: --model m --tensor-parallel-size 2\n"
      "    ulimits:\n"
      "      memlock: -1\n");
  const Finding* shm = find(findings, "container", "shm_size");
  ASSERT_NE(shm, nullptr);
  EXPECT_EQ(shm->item.scope, "vllm");
  EXPECT_EQ(shm->verdict, Verdict::Valid);
  EXPECT_EQ(find(findings, "container", "memory")->item.value, "32g");
  const Finding* tp = find(findings, "vllm", "tensor-parallel-size");
  ASSERT_NE(tp, nullptr);
  EXPECT_EQ(tp->item.line, 6);
  EXPECT_EQ(tp->verdict, Verdict::Valid);  // shm_size is raised
  EXPECT_EQ(find(findings, "container", "ulimit.memlock")->item.value, "-1");
}

TEST(InferenceOllama, CurlBodiesInteractiveSetAndLangChain) {
  auto findings = settings(
      "curl http://localhost:11434/api/generate -d '{\n"
      "  \"model\": \"llama3\",\n"
      "  \"options\":\n"
      "  {\n"
      "    \"num_ctx\": 8192\n"
      "  }\n"
      "}'\n"
      ">>> /set parameter num_thread 6\n"
      "llm = ChatOllama(model=\"llama3\", base_url=url, num_gpu=1, temperature=0)\n");
  const Finding* context = find(findings, "ollama", "num_ctx");
  ASSERT_NE(context, nullptr);
  EXPECT_EQ(context->item.line, 5);
  EXPECT_EQ(context->item.value, "8192");
  const Finding* threads = find(findings, "ollama", "num_thread");
  ASSERT_NE(threads, nullptr);
  EXPECT_EQ(threads->item.form, "ollama /set parameter");
  const Finding* gpu = find(findings, "ollama", "num_gpu");
  ASSERT_NE(gpu, nullptr);
  EXPECT_EQ(gpu->item.form, "LangChain Ollama argument");
  EXPECT_EQ(gpu->verdict, Verdict::Risky);
  EXPECT_EQ(find(findings, "ollama", "base_url"), nullptr);
  EXPECT_EQ(count_domain(findings, "ollama"), 4u);  // num_ctx, num_thread, num_gpu, temperature
}

TEST(InferenceLlamaCpp, LlamaCppPythonNamesMapToLlamaCppSettings) {
  auto findings = settings(
      "from llama_cpp import Llama\n"
      "llm = Llama(model_path=\"./model.gguf\", n_gpu_layers=1, n_ctx=4096, n_threads=8, verbose=False)\n"
      "python3 -m llama_cpp.server --model m.gguf --n_gpu_layers 35 --n_threads 4\n");
  const Finding* layers = find(findings, "llama.cpp", "n-gpu-layers", 2);
  ASSERT_NE(layers, nullptr);
  EXPECT_EQ(layers->item.form, "llama-cpp-python argument");
  EXPECT_EQ(layers->verdict, Verdict::Risky);  // one layer, as with -ngl 1
  EXPECT_EQ(find(findings, "llama.cpp", "ctx-size", 2)->item.value, "4096");
  EXPECT_EQ(find(findings, "llama.cpp", "threads", 2)->item.value, "8");
  const Finding* server = find(findings, "llama.cpp", "n-gpu-layers", 3);
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(server->item.form, "llama-cpp-python flag");
  EXPECT_EQ(server->verdict, Verdict::Valid);
  EXPECT_EQ(count_domain(findings, "llama.cpp"), 5u);  // model_path, verbose and --model are not settings
}

TEST(InferenceContainer, ServiceFoundByItsImageAndEnvironmentThreads) {
  auto findings = settings(
      "services:\n"
      "  llm:\n"
      "    image: ollama/ollama:latest\n"
      "    environment:\n"
      "      OMP_NUM_THREADS: \"8\"\n"
      "    deploy:\n"
      "      resources:\n"
      "        limits:\n"
      "          cpus: \"4\"\n"
      "PARAMETER num_thread 8\n");
  const Finding* cpus = find(findings, "container", "cpus");
  ASSERT_NE(cpus, nullptr);
  EXPECT_EQ(cpus->item.scope, "llm (ollama/ollama:latest)");
  const Finding* threads = find(findings, "ollama", "num_thread");
  ASSERT_NE(threads, nullptr);
  EXPECT_EQ(threads->verdict, Verdict::Risky);
  EXPECT_TRUE(has(*threads, "num_thread = 4")) << threads->message;
  const Finding* omp = find(findings, "environment", "OMP_NUM_THREADS");
  ASSERT_NE(omp, nullptr);
  EXPECT_EQ(omp->item.form, "compose environment");
  EXPECT_TRUE(omp->item.scope.empty());  // a container is not a systemd unit
  EXPECT_EQ(omp->verdict, Verdict::Risky);
  EXPECT_TRUE(has(*omp, "OMP_NUM_THREADS = 4")) << omp->message;
}

// Negative: a guide that limits its database container and runs the server on the host.
TEST(InferenceContainer, OtherContainersLimitsDoNotApplyToAHostServer) {
  auto findings = settings(
      "services:\n"
      "  postgres:\n"
      "    cpus: 1\n"
      "llama-server -m m.gguf --threads 8\n"
      "export OMP_NUM_THREADS=8\n");
  EXPECT_EQ(find(findings, "container", "cpus")->item.scope, "postgres");
  EXPECT_EQ(find(findings, "llama.cpp", "threads")->verdict, Verdict::Valid);
  EXPECT_EQ(find(findings, "environment", "OMP_NUM_THREADS")->verdict, Verdict::Valid);
}

// "ollama" holds "llama": Ollama's container is not llama.cpp's, and a vLLM
// run on the host is not in the container another line starts.
TEST(InferenceContainer, AServerIsMatchedToItsOwnContainerOnly) {
  auto findings = settings(
      "docker run -d --cpus 4 ollama/ollama\n"
      "llama-server -m model.gguf -t 16\n"
      "vllm serve meta-llama/Llama-3.1-8B --tensor-parallel-size 2\n");
  EXPECT_EQ(find(findings, "llama.cpp", "threads")->verdict, Verdict::Valid);
  EXPECT_EQ(find(findings, "vllm", "tensor-parallel-size")->verdict, Verdict::Valid);
}

// A Kubernetes container's args and env list against its own limits, with
// another container in the same text.
TEST(InferenceContainer, KubernetesArgumentsAndEnvironmentMeetTheirContainersLimit) {
  auto findings = settings(
      "docker run -d --cpus 8 ollama/ollama\n"
      "apiVersion: apps/v1\n"
      "kind: Deployment\n"
      "spec:\n"
      "  template:\n"
      "    spec:\n"
      "      containers:\n"
      "        - name: llm\n"
      "          image: ghcr.io/ggml-org/llama.cpp:server\n"
      "          args: [\"-t\", \"16\"]\n"
      "          env:\n"
      "            - name: OMP_NUM_THREADS\n"
      "              value: \"16\"\n"
      "          resources:\n"
      "            limits:\n"
      "              cpu: \"4\"\n");
  const Finding* threads = find(findings, "llama.cpp", "threads");
  ASSERT_NE(threads, nullptr);
  EXPECT_EQ(threads->item.scope, "llm");
  EXPECT_EQ(threads->verdict, Verdict::Risky);
  EXPECT_TRUE(has(*threads, "line 16")) << threads->message;
  const Finding* omp = find(findings, "environment", "OMP_NUM_THREADS");
  ASSERT_NE(omp, nullptr);
  EXPECT_EQ(omp->item.form, "kubernetes env");
  EXPECT_EQ(omp->item.line, 13);
  EXPECT_EQ(omp->verdict, Verdict::Risky);
  EXPECT_EQ(omp->modern, "environment OMP_NUM_THREADS = 4");
}

}  // namespace
}  // namespace tune::audit
