#include "platform/linux/net_knob.h"

#include "platform/linux/net_ethtool.h"
#include "platform/linux/net_fixture.h"
#include "support/temp_tree.h"
#include "util/dry_run_system.h"
#include "util/local_system.h"

#include <gtest/gtest.h>

namespace tune::linux_platform {
namespace {

using namespace testing_util;
using testing::TempTree;

Change modify(const std::string& target, const std::string& after) {
  Change change;
  change.domain = "net";
  change.target = target;
  change.after = after;
  change.action = Action::Modify;
  return change;
}

TEST(NetKnob, RefusesTargetsThatAreNotAnInterfaceAndASetting) {
  for (const char* target : {"../x/features.rx-gro", "eth0/features", "eth*/features.rx-gro", "eth0/channels.foo",
                             "eth0/rings.rx/x", "eth0", "/features.rx-gro", "eth0/features.RX", "eth0/other.rx",
                             "averyveryverylongname/features.rx-gro"}) {
    EXPECT_FALSE(parse_net_target(target)) << target;
  }
  auto parsed = parse_net_target("enp1s0/coalesce.adaptive-rx");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->interface, "enp1s0");
  EXPECT_EQ(parsed->group, "coalesce");
  EXPECT_EQ(parsed->name, "adaptive-rx");
}

TEST(NetKnob, ObservesEachGroup) {
  TempTree tree;
  add_nic(tree, typical_nic("eth0"));
  LocalSystem system(tree.root());
  NetKnob knob;
  EXPECT_EQ(*knob.observe(system, "eth0/features.rx-gro")->value, "on");
  EXPECT_EQ(*knob.observe(system, "eth0/channels.combined")->value, "8");
  EXPECT_EQ(*knob.observe(system, "eth0/rings.tx")->value, "512");
  EXPECT_EQ(*knob.observe(system, "eth0/coalesce.adaptive-rx")->value, "on");
}

TEST(NetKnob, WhatAnInterfaceLacksIsUnsupportedAndAFixedFeatureReadOnly) {
  TempTree tree;
  add_nic(tree, typical_nic("eth0"));
  LocalSystem system(tree.root());
  NetKnob knob;
  auto gone = knob.observe(system, "eth9/features.rx-gro");
  ASSERT_TRUE(gone);
  EXPECT_FALSE(gone->supported);
  EXPECT_EQ(gone->note, "not available here: no interface eth9");
  auto ntuple = knob.observe(system, "eth0/features.ntuple");
  ASSERT_TRUE(ntuple);
  EXPECT_FALSE(ntuple->supported);
  EXPECT_EQ(ntuple->note, "not available here: eth0 has no feature ntuple");
  auto jumbo = knob.observe(system, "eth0/rings.rx-jumbo");
  ASSERT_TRUE(jumbo);
  EXPECT_FALSE(jumbo->supported);
  EXPECT_EQ(jumbo->note, "not available here: eth0 has no rx-jumbo ring size");
  auto lro = knob.observe(system, "eth0/features.rx-lro");
  ASSERT_TRUE(lro);
  EXPECT_TRUE(lro->supported);
  EXPECT_FALSE(lro->writable);
  EXPECT_EQ(*lro->value, "off");
}

TEST(NetKnob, AShortNameStandsForItsChangeableMembers) {
  TempTree tree;
  FakeNic nic = typical_nic("eth0");
  add_nic(tree, nic);
  LocalSystem system(tree.root());
  NetKnob knob;
  // tso: two on, one off, one fixed (left out).
  auto tso = knob.observe(system, "eth0/features.tso");
  ASSERT_TRUE(tso);
  EXPECT_EQ(*tso->value, "tx-tcp-segmentation=on tx-tcp-ecn-segmentation=off tx-tcp6-segmentation=on");
  ASSERT_TRUE(knob.apply(system, modify("eth0/features.tso", "off")));
  EXPECT_EQ(*knob.observe(system, "eth0/features.tso")->value, "off");
  EXPECT_NE(tree.read(nic_state_path("eth0", "features")).find("tx-tcp-mangleid-segmentation off fixed\n"), std::string::npos);
  ASSERT_TRUE(knob.restore(system, "eth0/features.tso", tso->prior));
  EXPECT_EQ(tree.read(nic_state_path("eth0", "features")), nic.features);
}

TEST(NetKnob, TheDriversRefusalComesBack) {
  TempTree tree;
  add_nic(tree, typical_nic("eth0"));
  LocalSystem system(tree.root());
  NetKnob knob;
  auto status = knob.apply(system, modify("eth0/channels.combined", "32"));
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message, "ethtool eth0 combined: Invalid argument (at most 16)");
  EXPECT_FALSE(knob.apply(system, modify("eth0/features.rx-lro", "on")));
  EXPECT_FALSE(knob.apply(system, modify("eth0/rings.rx", "many")));
  EXPECT_FALSE(knob.restore(system, "eth0/features.tso", PriorState::of_value("tx-lockless=on")));
}

TEST(NetKnob, ADryRunReadsBackWhatItWouldHaveWrittenAndChangesNothing) {
  TempTree tree;
  FakeNic nic = typical_nic("eth0");
  add_nic(tree, nic);
  LocalSystem host(tree.root());
  DryRunSystem dry(host);
  NetKnob knob;
  ASSERT_TRUE(knob.apply(dry, modify("eth0/rings.rx", "4096")));
  EXPECT_EQ(*knob.observe(dry, "eth0/rings.rx")->value, "4096");
  EXPECT_EQ(tree.read(nic_state_path("eth0", "rings")), nic.rings);
  ASSERT_EQ(dry.actions().size(), 1u);
  EXPECT_EQ(dry.actions()[0].verb, "ethtool");
  EXPECT_EQ(dry.actions()[0].path, "eth0/rings");
  EXPECT_FALSE(knob.apply(dry, modify("eth0/rings.rx", "8192")));
}

TEST(NicSettings, MergeRefusesWhatADriverWould) {
  const std::string state = "rx-gro on\nrx-lro off fixed\ncombined 2 max 4\n";
  EXPECT_EQ(*merge_nic_settings(state, "rx-gro off\ncombined 4\n", "x"), "rx-gro off\nrx-lro off fixed\ncombined 4 max 4\n");
  EXPECT_FALSE(merge_nic_settings(state, "rx-lro on\n", "x"));
  EXPECT_TRUE(merge_nic_settings(state, "rx-lro off\n", "x"));
  EXPECT_FALSE(merge_nic_settings(state, "combined 5\n", "x"));
  EXPECT_FALSE(merge_nic_settings(state, "rx-gro 1\n", "x"));
  EXPECT_FALSE(merge_nic_settings(state, "tx-gro on\n", "x"));
  EXPECT_FALSE(parse_nic_settings("rx-gro on maybe\n"));
}

}  // namespace
}  // namespace tune::linux_platform
