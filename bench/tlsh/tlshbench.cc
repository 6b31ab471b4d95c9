// SPDX-License-Identifier: MIT
// TLSH distance speed, for docs/intel.md (why campaigns use a simhash):
//   g++ -O2 bench/tlsh/tlshbench.cc -o /tmp/tlshbench -ltlsh && /tmp/tlshbench
// Not built by meson: libtlsh is C++ only and nise does not link it.
#include <tlsh.h>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>
int main(){
  std::mt19937 rng(1); std::vector<Tlsh*> v;
  for(int i=0;i<2000;i++){ std::string s; for(int j=0;j<600;j++) s.push_back('a'+rng()%26);
    Tlsh*t=new Tlsh(); t->update((const unsigned char*)s.data(), s.size()); t->final(); v.push_back(t);}
  auto a=std::chrono::steady_clock::now(); long sum=0;
  for(int r=0;r<50;r++) for(int i=0;i<2000;i++) sum+=v[0]->totalDiff(v[i]);
  double ns=std::chrono::duration<double,std::nano>(std::chrono::steady_clock::now()-a).count()/100000;
  printf("tlsh totalDiff: %.0f ns per pair (sum %ld); 100000 digests linear: %.1f ms\n", ns, sum, ns*100000/1e6);
}
